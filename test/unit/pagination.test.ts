import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, isInvalidStartKey, withCursor } from '../../shared/pagination.ts';
import { Problem } from '../../shared/errors.ts';

const binding = { keyNames: ['pk', 'sk', 'gsi1pk', 'gsi1sk'], partition: { name: 'gsi1pk', value: 'IND' } };
const key = { pk: 'IND#a', sk: 'META', gsi1pk: 'IND', gsi1sk: '2026#a' };

function problemOf(fn: () => unknown): Problem {
  try {
    fn();
  } catch (error) {
    if (error instanceof Problem) return error;
    throw error;
  }
  throw new Error('expected a problem');
}

describe('cursor pagination', () => {
  it('round-trips a LastEvaluatedKey through an opaque cursor', () => {
    expect(decodeCursor(encodeCursor(key), binding)).toEqual(key);
  });

  it('has no cursor after the last page', () => {
    expect(encodeCursor(undefined)).toBeUndefined();
  });

  it('refuses a cursor forged to move the query into another partition', () => {
    const forged = encodeCursor({ ...key, gsi1pk: 'IDEMPOTENCY#x' }) as string;
    const problem = problemOf(() => decodeCursor(forged, binding));
    expect(problem.status).toBe(400);
    expect(problem.errors?.[0]?.field).toBe('query.cursor');
  });

  it('refuses a cursor from a list over another index', () => {
    const other = encodeCursor({ pk: 'IND#a', sk: 'META', gsi2pk: 'IND', gsi2sk: 'x' }) as string;
    expect(problemOf(() => decodeCursor(other, binding)).status).toBe(400);
  });

  it.each([['not base64!'], ['e30'], [Buffer.from('[1,2]').toString('base64url')], ['x'.repeat(5000)]])(
    'refuses a malformed cursor %#',
    (cursor) => {
      expect(problemOf(() => decodeCursor(cursor, binding)).status).toBe(400);
    },
  );

  it('refuses key values that are not strings (injection through the cursor)', () => {
    const injected = encodeCursor({ ...key, sk: { S: 'META' } }) as string;
    expect(problemOf(() => decodeCursor(injected, binding)).status).toBe(400);
  });
});

describe('a start key DynamoDB refuses (hostile-input regression)', () => {
  it('is recognised in the AWS and the DynamoDB Local wording, and turned into a 400 on query.cursor', async () => {
    const aws = Object.assign(new Error('The provided starting key is outside query boundaries based on provided conditions'), { name: 'ValidationException' });
    const local = Object.assign(new Error('The provided starting key does not match the range key predicate'), { name: 'ValidationException' });
    expect(isInvalidStartKey(aws)).toBe(true);
    expect(isInvalidStartKey(local)).toBe(true);
    expect(isInvalidStartKey(Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException' }))).toBe(false);
    const refused = await withCursor({ pk: 'x', sk: 'y' }, () => Promise.reject(local)).catch((e) => e);
    expect(refused).toMatchObject({ status: 400, code: 'invalid-cursor', errors: [{ field: 'query.cursor' }] });
    // Without a cursor the same error is ours: it stays a 500.
    await expect(withCursor(undefined, () => Promise.reject(local))).rejects.toBe(local);
  });
});
