/** Ids: a prefix (`ind`, `tpl`, `imp`) + time-ordered base36 timestamp + random suffix. */
import { randomBytes } from 'node:crypto';

export function newId(prefix: 'ind' | 'tpl' | 'imp', now: Date): string {
  return `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}
