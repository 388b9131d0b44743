/**
 * Key evaluations (department or finance evaluations of one object) and the People's Congress
 * ratings of their reports:
 * | item                          | pk                | sk                          | GSIs |
 * |-------------------------------|-------------------|-----------------------------|------|
 * | key evaluation                | KEY#<keyId>       | META                        | gsi1 KEYS#<region>#<year> / <department>#<createdAt>#<keyId> |
 * | People's Congress rating      | KEY#<keyId>       | RATING#congress#<raterSub>  | – |
 *
 * A rating is its rater's own item (one per rater and evaluation), so rating never touches the
 * evaluation's version; one Query of the partition reads the evaluation with its ratings.
 */
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import type { OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage } from '../../../shared/query.ts';
import type { CongressRating, RatedKeyEvaluation } from '../domain/congress-rating.ts';
import type { KeyEvaluation } from '../domain/self-evaluation.ts';
import { get, GSI1, pageOf, table, transact } from './table.ts';

const RATING_PREFIX = 'RATING#congress#';

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

/** A key evaluation with its People's Congress ratings (oldest first), from one consistent Query of its partition. */
export async function getRatedKeyEvaluation(id: string): Promise<RatedKeyEvaluation | undefined> {
  let key: KeyEvaluation | undefined;
  const ratings: CongressRating[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ tableName: table(), partition: `KEY#${id}`, limit: 100, consistentRead: true, ...(cursor ? { cursor } : {}) });
    for (const item of page.items) {
      if (item.sk === 'META') key = stripKeys<KeyEvaluation>(item);
      else if (typeof item.sk === 'string' && item.sk.startsWith(RATING_PREFIX)) {
        const { evaluationId: _evaluationId, ...rating } = stripKeys<CongressRating & { evaluationId: string }>(item);
        ratings.push(rating);
      }
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (!key) return undefined;
  return { ...key, congressRatings: ratings.sort((a, b) => a.ratedAt.localeCompare(b.ratedAt) || a.ratedBy.localeCompare(b.ratedBy)) };
}

/**
 * Stores a rater's rating of a key evaluation with its event, replacing the rater's earlier
 * rating only if that one is older: two ratings racing from the same rater cannot leave the
 * older one standing (the loser's transaction fails its condition on item 0).
 */
export async function writeCongressRating(evaluationId: string, rating: CongressRating, events: OutboxEvent[]): Promise<void> {
  const item = { pk: `KEY#${evaluationId}`, sk: `${RATING_PREFIX}${rating.ratedBy}`, kind: 'congress-rating', evaluationId, ...rating };
  await transact(
    [
      {
        Put: {
          TableName: table(),
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR #ratedAt < :ratedAt',
          ExpressionAttributeNames: { '#ratedAt': 'ratedAt' },
          ExpressionAttributeValues: { ':ratedAt': rating.ratedAt },
        },
      },
    ],
    events,
  );
}
