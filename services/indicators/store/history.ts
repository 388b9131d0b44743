/**
 * Achieved values of library indicators, recorded from completed evaluations.
 *
 * | item            | pk        | sk                          | GSIs |
 * |-----------------|-----------|-----------------------------|------|
 * | achieved value  | IND#<id>  | HIST#<year>#<region>#<obj>  | –    |
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { EVALUATION_KIND_RANK, type EvaluationKind } from '../../../events/evaluation.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { HistoryEntry } from '../domain/history.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const strip = stripKeys;
/** The rank is the store's ordering key, not part of the entry. */
const withoutRank = ({ rank: _rank, ...entry }: HistoryEntry & { rank?: number }): HistoryEntry => entry;

/**
 * One entry per (indicator, year, region, object): the evaluation that counts replaces it (a
 * finance review or key evaluation over the self-evaluation; within a kind, the later one), and
 * an older one never does, whether it is a redelivery or arrives late. Returns how many entries
 * were written.
 */
export async function putHistory(entries: readonly HistoryEntry[]): Promise<number> {
  const written = await Promise.all(
    entries.map(async (entry) => {
      try {
        await documentClient().send(
          new PutCommand({
            TableName: table(),
            Item: { pk: `IND#${entry.indicatorId}`, sk: `HIST#${entry.fiscalYear}#${entry.region}#${entry.objectId}`, kind: 'history', rank: EVALUATION_KIND_RANK[entry.evaluationKind], ...entry },
            ConditionExpression: 'attribute_not_exists(pk) OR #rank < :rank OR (#rank = :rank AND #recordedAt <= :recordedAt)',
            ExpressionAttributeNames: { '#rank': 'rank', '#recordedAt': 'recordedAt' },
            ExpressionAttributeValues: { ':rank': EVALUATION_KIND_RANK[entry.evaluationKind], ':recordedAt': entry.recordedAt },
          }),
        );
        return 1;
      } catch (error) {
        if (conditionFailed(error)) return 0;
        throw error;
      }
    }),
  );
  return written.reduce<number>((a, b) => a + b, 0);
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
  return { items: page.items.map((i) => withoutRank(strip<HistoryEntry & { rank?: number }>(i))), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
