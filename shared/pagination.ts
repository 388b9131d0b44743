/**
 * Opaque cursor pagination. A cursor is DynamoDB's LastEvaluatedKey, base64url-encoded
 * together with the partition it belongs to. Decoding checks that the cursor has exactly
 * the key attributes of the index being queried and the same partition value, so a forged
 * or replayed-elsewhere cursor cannot move a query into another partition: it is a 400.
 */
import { Problem } from './errors.ts';

export interface CursorBinding {
  /** Key attribute names the LastEvaluatedKey must have (table keys + index keys). */
  readonly keyNames: readonly string[];
  /** Partition attribute and value of the query. */
  readonly partition: { readonly name: string; readonly value: string };
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const MAX_CURSOR_LENGTH = 2048;

export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastEvaluatedKey) return undefined;
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

export function invalidCursor(reason: string): Problem {
  return new Problem(400, 'invalid-cursor', `The cursor is not valid for this list: ${reason}. Start again without a cursor.`, {
    errors: [{ field: 'query.cursor', message: reason }],
  });
}

export function decodeCursor(cursor: string | undefined, binding: CursorBinding): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalidCursor('malformed');
  }
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('malformed');
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor('malformed');
  const entries = Object.entries(key as Record<string, unknown>);
  const expected = [...new Set(binding.keyNames)].sort();
  const actual = entries.map(([name]) => name).sort();
  if (expected.length !== actual.length || expected.some((name, i) => name !== actual[i])) {
    throw invalidCursor('it belongs to another list');
  }
  if (entries.some(([, value]) => typeof value !== 'string' || value.length === 0 || value.length > 1024)) {
    throw invalidCursor('malformed');
  }
  const decoded = key as Record<string, string>;
  if (decoded[binding.partition.name] !== binding.partition.value) throw invalidCursor('it belongs to another list');
  return decoded;
}

/**
 * DynamoDB refused the ExclusiveStartKey: a cursor that passed the binding check but whose sort
 * key lies outside the query's key condition (a tampered sort key, a cursor of another list
 * over the same partition). AWS says "outside query boundaries", DynamoDB Local "does not
 * match the range key predicate"; both name the starting key.
 */
export function isInvalidStartKey(error: unknown): boolean {
  return (error as { name?: string })?.name === 'ValidationException' && /start(ing)? key|ExclusiveStartKey/i.test((error as Error).message ?? '');
}

/** Runs a query with a decoded cursor: a start key DynamoDB refuses is the caller's 400, not our 500. */
export async function withCursor<T>(startKey: Record<string, unknown> | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (startKey && isInvalidStartKey(error)) throw invalidCursor('it does not point into this list');
    throw error;
  }
}

export interface Page<T> {
  items: T[];
  /** Absent on the last page. */
  nextCursor?: string;
}
