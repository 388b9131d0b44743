/**
 * Table access for this service's copy of the indicator library (from indicator events), with
 * the values achieved on each indicator in completed evaluations (the historical standard) and,
 * where the evaluated object is one of this service's, its annual amount (the historical value
 * per 万元 the money-match check compares with).
 *
 * Keys:
 * | item                    | pk                   | sk    | GSIs |
 * |-------------------------|----------------------|-------|------|
 * | library indicator copy  | LIBIND#<indicatorId> | META  | – (from indicator events; plus achieved values from evaluations) |
 *
 * An item may hold only achieved values (evaluated before its publication arrived): it is not
 * a library entry until the publication comes.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import type { PublishedIndicatorSchema } from '../../../events/indicators.ts';
import { batchGet } from '../../../shared/batch-get.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { retryWithJitter } from '../../../shared/retry.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const strip = stripKeys;

type PublishedIndicator = z.infer<typeof PublishedIndicatorSchema>;

export interface LibraryIndicator {
  id: string;
  revision: number;
  code?: string;
  name: string;
  level1: PublishedIndicator['level1'];
  level2: PublishedIndicator['level2'];
  operator: PublishedIndicator['operator'];
  unit: string;
  spendingTypes: PublishedIndicator['spendingTypes'];
  region: string;
  status: 'published' | 'retired';
  /** Numeric achieved values from completed evaluations (most recent last, at most ACHIEVED_KEPT). */
  achieved?: number[];
  /** Of those, each per 万元 of its object's annual amount, where the amount is known and the unit is the library's. */
  achievedPerWan?: number[];
  achievedBy?: Achieved[];
}

/** Enough observations for a stable median; older ones fall off. */
export const ACHIEVED_KEPT = 50;

/** Read-modify-write rounds of `recordAchieved` before the event is left to the consumer's own retry. */
const ACHIEVED_ATTEMPTS = 20;
const ACHIEVED_BACKOFF = { baseMs: 10, maxMs: 200 };

const libKey = (id: string) => ({ pk: `LIBIND#${id}`, sk: 'META' });

export async function getLibraryIndicators(ids: readonly string[]): Promise<Map<string, LibraryIndicator>> {
  const items = await batchGet(table(), [...new Set(ids)].map(libKey));
  // An item with only achieved values (evaluated before its publication arrived) is not a library entry.
  return new Map(
    items
      .map((item) => strip<LibraryIndicator>(item))
      .filter((lib) => lib.name)
      .map(({ achievedBy, ...lib }) => {
        const perWan = perWanOf(achievedBy ?? [], lib.unit);
        return [lib.id, { ...lib, ...(achievedBy?.length ? { achieved: achievedBy.map((a) => a.v) } : {}), ...(perWan.length ? { achievedPerWan: perWan } : {}) }];
      }),
  );
}

/** Achieved values per 万元 of their object's amount: only those with an amount, in the library's unit (or no unit recorded). */
function perWanOf(achieved: readonly Achieved[], unit: string): number[] {
  return achieved.flatMap((a) => (a.w !== undefined && a.w > 0 && (a.u === undefined || a.u === unit) ? [a.v / a.w] : []));
}

/**
 * Applies a published revision; never moves backwards (a late, older revision is ignored) and
 * never revives a retired indicator. Returns whether it was applied.
 */
export async function upsertLibraryIndicator(indicator: PublishedIndicator): Promise<boolean> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: libKey(indicator.id),
        UpdateExpression:
          'SET #id = :id, #revision = :revision, #name = :name, level1 = :l1, level2 = :l2, #operator = :op, #unit = :unit, spendingTypes = :st, #region = :region, #status = :published, #code = :code, kind = :kind',
        ConditionExpression: '(attribute_not_exists(#revision) OR #revision < :revision) AND (attribute_not_exists(#status) OR #status <> :retired)',
        ExpressionAttributeNames: {
          '#id': 'id',
          '#revision': 'revision',
          '#name': 'name',
          '#operator': 'operator',
          '#unit': 'unit',
          '#region': 'region',
          '#status': 'status',
          '#code': 'code',
        },
        ExpressionAttributeValues: {
          ':id': indicator.id,
          ':revision': indicator.revision,
          ':name': indicator.name,
          ':l1': indicator.level1,
          ':l2': indicator.level2,
          ':op': indicator.operator,
          ':unit': indicator.unit,
          ':st': indicator.spendingTypes,
          ':region': indicator.region,
          ':published': 'published',
          ':retired': 'retired',
          ':code': indicator.code ?? null,
          ':kind': 'library-indicator',
        },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}

/** Marks an indicator retired (kept, so rows already approved still resolve, but unusable in new targets). */
export async function retireLibraryIndicator(id: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: libKey(id),
      UpdateExpression: 'SET #status = :retired, #id = :id',
      ExpressionAttributeNames: { '#status': 'status', '#id': 'id' },
      ExpressionAttributeValues: { ':retired': 'retired', ':id': id },
    }),
  );
}

/** One achieved value, keyed by where it was achieved (`<year>#<objectId>#<n>`), so a later evaluation of the same object replaces it. */
export interface Achieved {
  k: string;
  v: number;
  /** The evaluated object's annual amount, 万元, when this service declared it (the money per unit of output: v ÷ w). */
  w?: number;
  /** The unit the value was reported in. */
  u?: string;
}

/**
 * Records achieved values of one indicator. A finance review after the unit's self-evaluation
 * replaces the self-evaluation's value rather than counting the same achievement twice; the
 * newest ACHIEVED_KEPT values are kept. Read-modify-write, conditional on the list's version,
 * retried (only on that failed condition) when another evaluation of the same indicator got
 * there first.
 */
export async function recordAchieved(indicatorId: string, entries: readonly Achieved[]): Promise<void> {
  const replaced = new Set(entries.map((e) => e.k));
  const attempt = async () => {
    const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: libKey(indicatorId), ConsistentRead: true }));
    const version = (Item?.achievedVersion as number | undefined) ?? 0;
    const current = (Item?.achievedBy as Achieved[] | undefined) ?? [];
    // The same values again (a redelivered evaluation) leave the list as it is, in its order.
    const same = (a: Achieved, b: Achieved) => a.v === b.v && a.w === b.w && a.u === b.u;
    if (entries.every((e) => current.some((c) => c.k === e.k && same(c, e)))) return;
    const next = [...current.filter((e) => !replaced.has(e.k)), ...entries].slice(-ACHIEVED_KEPT);
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: libKey(indicatorId),
        UpdateExpression: 'SET achievedBy = :next, achievedVersion = :version, #id = :id',
        ConditionExpression: version === 0 ? 'attribute_not_exists(achievedVersion)' : 'achievedVersion = :expected',
        ExpressionAttributeNames: { '#id': 'id' },
        ExpressionAttributeValues: { ':next': next, ':version': version + 1, ':id': indicatorId, ...(version === 0 ? {} : { ':expected': version }) },
      }),
    );
  };
  try {
    await retryWithJitter(attempt, { attempts: ACHIEVED_ATTEMPTS, retryable: conditionFailed, ...ACHIEVED_BACKOFF });
  } catch (error) {
    if (conditionFailed(error)) throw new Error(`achieved values of ${indicatorId}: too many concurrent updates; the event will be retried`, { cause: error });
    throw error;
  }
}
