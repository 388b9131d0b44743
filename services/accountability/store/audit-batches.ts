/**
 * Audit finding batches (审计发现问题清单): one item per batch, written after its orders, so a
 * batch id answers the same orders however often it is sent.
 *
 * | item        | pk                 | sk    | GSIs |
 * |-------------|--------------------|-------|------|
 * | audit batch | AUDITB#<batchId>   | BATCH | –    |
 *
 * The orders themselves are rectification orders (store/rectifications.ts), with ids derived
 * from the region, batch id and line, so a retry after a failure part-way creates only the
 * missing ones.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const key = (batchId: string) => ({ pk: `AUDITB#${batchId}`, sk: 'BATCH' });

export interface AuditBatch {
  batchId: string;
  region: string;
  /** SHA-256 of the format and content: the same batch id with other content is refused. */
  contentHash: string;
  format: 'csv' | 'json';
  orders: { line: number; orderId: string; objectId?: string; owner: { department: string; unit?: string } }[];
  filedAt: string;
  filedBy: string;
}

export async function getAuditBatch(batchId: string): Promise<AuditBatch | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: key(batchId), ConsistentRead: true }));
  return Item ? stripKeys<AuditBatch>(Item) : undefined;
}

/** Records the batch; false when it was recorded meanwhile (a concurrent request with the same id). */
export async function putAuditBatch(batch: AuditBatch): Promise<boolean> {
  try {
    await documentClient().send(new PutCommand({ TableName: table(), Item: { ...key(batch.batchId), kind: 'audit-batch', ...batch }, ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
