/** Schemas every API shares: list queries and pages. */
import * as z from 'zod/mini';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.ts';

export const listQuery = z.strictObject({
  limit: z.optional(
    z.coerce.number().check(z.int('must be a whole number'), z.minimum(1), z.maximum(MAX_PAGE_SIZE)),
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});

export const pageSize = (limit: number | undefined) => limit ?? DEFAULT_PAGE_SIZE;

export function pageOf<T extends z.ZodMiniType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.optional(z.string()) });
}
