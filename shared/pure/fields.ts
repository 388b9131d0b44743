/** Field schemas the route specs of every service share, so a year or a free text means the same everywhere. */
import * as z from 'zod/mini';

/** Free text: trimmed, not empty, at most `max` characters. */
export const text = (max: number) => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(max));

const YEAR_CHECKS = [z.int('must be a whole year'), z.minimum(2000), z.maximum(2100)] as const;

/** A fiscal year in a JSON body. */
export const fiscalYear = () => z.number().check(...YEAR_CHECKS);

/** A fiscal year in a path or query string. */
export const fiscalYearParam = () => z.coerce.number().check(...YEAR_CHECKS);

/** An id made by `newTimeOrderedId(prefix)`; `what` names it in the error ("a spending object id"). */
export const prefixedId = (prefix: string, what: string) =>
  z.string().check(z.regex(new RegExp(`^${prefix}_[a-z0-9]{10,40}$`), `must be ${what} (${prefix}_...)`));
