/** Ids of spending objects: `obj_` + time-ordered base36 timestamp + random suffix. */
import { randomBytes } from 'node:crypto';

export function newObjectId(now: Date): string {
  return `obj_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
