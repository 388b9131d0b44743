/**
 * Key evaluations (department or finance evaluations of one object):
 * | item                          | pk                | sk          | GSIs |
 * |-------------------------------|-------------------|-------------|------|
 * | key evaluation                | KEY#<keyId>       | META        | gsi1 KEYS#<region>#<year> / <department>#<createdAt>#<keyId> |
 */
import { putAtVersion, putNew } from '../../../shared/items.ts';
import type { OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { KeyEvaluation } from '../domain/self-evaluation.ts';
import { get, GSI1, pageOf, table, transact } from './table.ts';

function keyItem(k: KeyEvaluation) {
  return { pk: `KEY#${k.id}`, sk: 'META', kind: 'key-evaluation', gsi1pk: `KEYS#${k.object.region}#${k.object.fiscalYear}`, gsi1sk: `${k.object.department}#${k.createdAt}#${k.id}`, ...k };
}

export const getKeyEvaluation = (id: string) => get<KeyEvaluation>(`KEY#${id}`, 'META');

export async function writeKeyEvaluation(next: KeyEvaluation, expectedVersion: number | undefined, events: OutboxEvent[] = [], extra: TransactItem[] = []): Promise<void> {
  const item = keyItem(next);
  await transact([expectedVersion === undefined ? putNew(table(), item) : putAtVersion(table(), item, expectedVersion), ...extra], events);
}

export async function listKeyEvaluations(region: string, year: number, ownerPrefix: string | undefined, limit: number, cursor?: string): Promise<Page<KeyEvaluation>> {
  return pageOf<KeyEvaluation>(
    await queryPage({
      tableName: table(),
      index: GSI1,
      partition: `KEYS#${region}#${year}`,
      ...(ownerPrefix ? { sortCondition: { expression: 'begins_with(#sk, :p)', values: { ':p': ownerPrefix.split('#')[0] + '#' } } } : {}),
      limit,
      ...(cursor ? { cursor } : {}),
    }),
  );
}
