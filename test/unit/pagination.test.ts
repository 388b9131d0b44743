import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/pagination.ts';
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
