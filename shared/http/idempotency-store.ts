/** Idempotency-Key records in the service's own table (see idempotency-key.ts). */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../env.ts';
import { IDEMPOTENCY_TTL_SECONDS, keyReusedProblem, type IdempotencyRequest, type IdempotencyStore, type StoredResponse } from './idempotency-key.ts';

function recordKey(r: IdempotencyRequest) {
  return { pk: `IDEMPOTENCY#${r.operationId}#${r.actorSub}#${r.key}`, sk: 'IDEMPOTENCY' };
}

export function dynamoIdempotencyStore(tableName: () => string = () => requireEnv(ENV_KEYS.tableName)): IdempotencyStore {
  return {
    async find(request) {
      const found = await documentClient().send(new GetCommand({ TableName: tableName(), Key: recordKey(request), ConsistentRead: true }));
      if (!found.Item) return undefined;
      if (found.Item.requestHash !== request.hash) throw keyReusedProblem();
      return found.Item.response as StoredResponse;
    },
    scope(request) {
      return {
        key: request.key,
        recordItem: (response) => ({
          Put: {
            TableName: tableName(),
            Item: {
              ...recordKey(request),
              kind: 'idempotency-key',
              requestHash: request.hash,
              response,
              ttl: Math.floor(Date.now() / 1000) + IDEMPOTENCY_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      };
    },
  };
}
