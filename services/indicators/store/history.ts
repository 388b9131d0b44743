/**
 * Achieved values of library indicators, recorded from completed evaluations.
 *
 * | item            | pk        | sk                          | GSIs |
 * |-----------------|-----------|-----------------------------|------|
 * | achieved value  | IND#<id>  | HIST#<year>#<region>#<obj>  | –    |
 */
import { batchWrite } from '../../../shared/batch-write.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { HistoryEntry } from '../domain/history.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const strip = stripKeys;

/** Idempotent by key (indicator, year, region, object): a re-evaluation overwrites its entry. */
export async function putHistory(entries: readonly HistoryEntry[]): Promise<void> {
  await batchWrite(
    table(),
    entries.map((entry) => ({
      PutRequest: { Item: { pk: `IND#${entry.indicatorId}`, sk: `HIST#${entry.fiscalYear}#${entry.region}#${entry.objectId}`, kind: 'history', ...entry } },
    })),
  );
}

export async function listHistory(id: string, fiscalYear: number | undefined, limit: number, cursor?: string): Promise<Page<HistoryEntry>> {
  const page = await queryPage({
    tableName: table(),
    partition: `IND#${id}`,
    sortCondition: { expression: 'begins_with(#sk, :hist)', values: { ':hist': fiscalYear ? `HIST#${fiscalYear}#` : 'HIST#' } },
    limit,
    cursor,
    newestFirst: true,
  });
  return { items: page.items.map((i) => strip<HistoryEntry>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
