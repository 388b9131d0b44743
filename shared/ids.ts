/**
 * Record ids that sort by creation time: `<prefix>_<ms since epoch, base 36, 9 digits><12 hex>`.
 * The time part keeps lists by id in creation order; the 6 random bytes (48 bits) make two ids
 * made in the same millisecond collide with odds far below anything a region produces.
 */
import { randomBytes } from 'node:crypto';

export function newTimeOrderedId(prefix: string, now: Date = new Date()): string {
  return `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
}
