/**
 * `Idempotency-Key` for creating POSTs. The key's record is written in the same transaction
 * as the created state (see `IdempotencyScope.recordItem`), so "created" and "remembered"
 * cannot come apart; a retry with the same key and body replays the stored response, a retry
 * with another body is a 422. Records expire after 24 hours (table TTL).
 *
 * This module is storage-free; `idempotency-store.ts` keeps the records in DynamoDB and is
 * given to `createApiHandler` only by services that have idempotent routes.
 */
import { createHash } from 'node:crypto';
import { Problem } from '../errors.ts';
import type { TransactItem } from '../outbox.ts';

export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

export interface StoredResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface IdempotencyScope {
  readonly key: string;
  /** The Put to add to the creating transaction. */
  recordItem(response: StoredResponse): TransactItem;
}

export interface IdempotencyRequest {
  operationId: string;
  actorSub: string;
  key: string;
  hash: string;
}

export interface IdempotencyStore {
  /** The response stored for this key, or undefined; 422 when the key came with another request. */
  find(request: IdempotencyRequest): Promise<StoredResponse | undefined>;
  scope(request: IdempotencyRequest): IdempotencyScope;
}

export function validateIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new Problem(400, 'invalid-idempotency-key', 'Idempotency-Key must be 8-128 characters of letters, digits, _ . : -', {
      errors: [{ field: 'header.idempotency-key', message: 'must match [A-Za-z0-9_.:-]{8,128}' }],
    });
  }
}

export function requestHash(body: unknown, path: string): string {
  return createHash('sha256').update(path).update('\n').update(JSON.stringify(body ?? null)).digest('hex');
}

export function keyReusedProblem(): Problem {
  return new Problem(422, 'idempotency-key-reused', 'This Idempotency-Key was already used with a different request', {
    errors: [{ field: 'header.idempotency-key', message: 'reused with a different request' }],
  });
}
