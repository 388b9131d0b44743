import { describe, expect, it } from 'vitest';
import { checkIfMatch, etagOf } from '../../shared/http/etag.ts';

function statusOf(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('ETag / If-Match', () => {
  it('accepts the current ETag', () => {
    expect(statusOf(() => checkIfMatch(etagOf('ind_1', 3), 'ind_1', 3))).toBeUndefined();
  });

  it('accepts a weak form of the current ETag', () => {
    expect(statusOf(() => checkIfMatch(`W/${etagOf('ind_1', 3)}`, 'ind_1', 3))).toBeUndefined();
  });

  it('answers 412 to a stale ETag', () => {
    expect(statusOf(() => checkIfMatch(etagOf('ind_1', 2), 'ind_1', 3))).toBe(412);
  });

  it('answers 428 when If-Match is missing', () => {
    expect(statusOf(() => checkIfMatch(undefined, 'ind_1', 3))).toBe(428);
  });

  it('does not accept the ETag of another resource', () => {
    expect(statusOf(() => checkIfMatch(etagOf('ind_2', 3), 'ind_1', 3))).toBe(412);
  });
});
