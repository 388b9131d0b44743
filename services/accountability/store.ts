/**
 * All access to the accountability table.
 *
 * Keys:
 * | item           | pk                  | sk                                  |
 * |----------------|---------------------|-------------------------------------|
 * | timeline entry | OBJ#<subjectId>     | T#<occurredAt>#<eventId>            |
 * | consumer idempotency (Powertools) | idempotency#<function> | <function>#<hash> |
 *
 * A timeline entry's key is derived from the event id, so even without the idempotency
 * layer a redelivered event would overwrite, not duplicate, its entry.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { decodeCursor, encodeCursor, type Page } from '../../shared/pagination.ts';
import type { TimelineEntry } from './domain/timeline.ts';

const table = () => requireEnv(ENV_KEYS.tableName);

export async function putTimelineEntry(entry: TimelineEntry): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: { pk: `OBJ#${entry.subject.id}`, sk: `T#${entry.occurredAt}#${entry.eventId}`, kind: 'timeline', ...entry },
    }),
  );
}

export async function listTimeline(objectId: string, limit: number, cursor?: string): Promise<Page<TimelineEntry>> {
  const pk = `OBJ#${objectId}`;
  const startKey = decodeCursor(cursor, { keyNames: ['pk', 'sk'], partition: { name: 'pk', value: pk } });
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
      ExpressionAttributeValues: { ':pk': pk, ':t': 'T#' },
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  const items = (result.Items ?? []).map(({ pk: _p, sk: _s, kind: _k, ...entry }) => entry as TimelineEntry);
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}
