/** Indicator ids: `ind_` + time-ordered base36 timestamp + random suffix. */
import { randomBytes } from 'node:crypto';

export function newIndicatorId(now: Date): string {
  return `ind_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
