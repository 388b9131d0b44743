/**
 * Self-evaluations, one per approved object (the finance review is kept inside it):
 * | item                          | pk                | sk          | GSIs |
 * |-------------------------------|-------------------|-------------|------|
 * | self-evaluation               | OBJ#<objectId>    | SELF        | gsi2 SELFS#<region>#<year> / <department>#<unit>#<objectId> |
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { putAtVersion, putNew } from '../../../shared/items.ts';
import type { OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { SelfEvaluation } from '../domain/self-evaluation.ts';
import { all, get, GSI2, pageOf, table, transact } from './table.ts';

export function selfItem(s: SelfEvaluation) {
  return { pk: `OBJ#${s.object.id}`, sk: 'SELF', kind: 'self-evaluation', gsi2pk: `SELFS#${s.object.region}#${s.object.fiscalYear}`, gsi2sk: `${s.object.department}#${s.object.unit}#${s.object.id}`, ...s };
}

export const getSelfEvaluation = (objectId: string) => get<SelfEvaluation>(`OBJ#${objectId}`, 'SELF');

/**
 * Index 0 is the self-evaluation (created new, or replaced at the version read). Alone (no
 * events, nothing else) it is a plain conditional PutItem: a transaction would cost twice.
 */
export async function writeSelfEvaluation(next: SelfEvaluation, expectedVersion: number | undefined, events: OutboxEvent[] = [], extra: TransactItem[] = []): Promise<void> {
  const item = selfItem(next);
  const put = expectedVersion === undefined ? putNew(table(), item) : putAtVersion(table(), item, expectedVersion);
  if (events.length === 0 && extra.length === 0) {
    await documentClient().send(new PutCommand(put.Put as ConstructorParameters<typeof PutCommand>[0]));
    return;
  }
  await transact([put, ...extra], events);
}

export async function listSelfEvaluations(region: string, year: number, ownerPrefix: string | undefined, limit: number, cursor?: string): Promise<Page<SelfEvaluation>> {
  return pageOf<SelfEvaluation>(
    await queryPage({
      tableName: table(),
      index: GSI2,
      partition: `SELFS#${region}#${year}`,
      ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': ownerPrefix } } } : {}),
      limit,
      ...(cursor ? { cursor } : {}),
    }),
  );
}

export const allSelfEvaluations = (region: string, year: number, ownerPrefix?: string) => all<SelfEvaluation>((cursor) => listSelfEvaluations(region, year, ownerPrefix, 1000, cursor));
