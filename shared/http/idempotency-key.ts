/**
 * `Idempotency-Key` for creating POSTs. The key's record is written in the same transaction
 * as the created state (see `IdempotencyScope.recordItem`), so "created" and "remembered"
 * cannot come apart; a retry with the same key and body replays the stored response, a retry
 * with another body is a 422. Records expire after 24 hours (table TTL).
 */
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients.ts';
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

export function validateIdempotencyKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new Problem(400, 'invalid-idempotency-key', 'Idempotency-Key must be 8-128 characters of letters, digits, _ . : -', {
      errors: [{ field: 'header.idempotency-key', message: 'must match [A-Za-z0-9_.:-]{8,128}' }],
    });
  }
}

function recordKey(operationId: string, actorSub: string, key: string) {
  return { pk: `IDEMPOTENCY#${operationId}#${actorSub}#${key}`, sk: 'IDEMPOTENCY' };
}

export function requestHash(body: unknown, path: string): string {
  return createHash('sha256').update(path).update('\n').update(JSON.stringify(body ?? null)).digest('hex');
}

export async function findStoredResponse(
  tableName: string,
  operationId: string,
  actorSub: string,
  key: string,
  hash: string,
): Promise<StoredResponse | undefined> {
  const found = await documentClient().send(
    new GetCommand({ TableName: tableName, Key: recordKey(operationId, actorSub, key), ConsistentRead: true }),
  );
  if (!found.Item) return undefined;
  if (found.Item.requestHash !== hash) {
    throw new Problem(422, 'idempotency-key-reused', 'This Idempotency-Key was already used with a different request', {
      errors: [{ field: 'header.idempotency-key', message: 'reused with a different request' }],
    });
  }
  return found.Item.response as StoredResponse;
}

export function idempotencyScope(tableName: string, operationId: string, actorSub: string, key: string, hash: string): IdempotencyScope {
  return {
    key,
    recordItem: (response) => ({
      Put: {
        TableName: tableName,
        Item: {
          ...recordKey(operationId, actorSub, key),
          kind: 'idempotency-key',
          requestHash: hash,
          response,
          ttl: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }),
  };
}
