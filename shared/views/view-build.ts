/**
 * A view whose build is pending: a view that must be built from its sources in one go (a new
 * monitoring window's dashboard, the key windows' dashboards after the key amount moved) is built
 * by a worker, not inside the request that made it necessary (O(objects) of the year). Until the
 * worker is done, readers compute the answer from the sources (shared/views/computed-reader.ts),
 * so nobody reads a half-built view.
 *
 * | item          | pk     | sk      |
 * |---------------|--------|---------|
 * | build pending | V#B    | PENDING |
 *
 * The request writes the item in the transaction that asks for the build (with the work event);
 * the worker removes it after its build, only if no later request came in since it started
 * (`requestedAt` ≤ its start): a second request during a build gets a build of its own.
 *
 * The build runs while events keep refreshing objects (a window is opened, reports arrive at
 * once), so it must never put back what a refresh has just replaced. `buildView` takes the stored
 * contributions with their versions first, then reads the sources, then moves each object from
 * its stored contribution to the one from the sources in a transaction guarded by that version
 * (counted-view.ts `refreshWrites`). A guard that fails means a refresh ran after the snapshot:
 * it computed from sources at least as new as it, and every later change of the sources brings
 * its own refresh, so the object is left as the refresh made it. (`rebuildView` rewrites the whole
 * view instead, for repairs at a quiet moment: it also mends counts a delta cannot.)
 */
import { DeleteCommand, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../clients/dynamodb.ts';
import { conditionFailed, conditionFailedAt, lostRaceAt } from '../conditions.ts';
import type { TransactItem } from '../outbox.ts';
import { sameContribution, type Contribution } from '../pure/view-delta.ts';
import { retryWithJitter } from '../retry.ts';
import { refreshWrites, storedContributions, viewPk, type ViewKey } from './counted-view.ts';

/** Objects moved at once: enough to keep DynamoDB busy, few enough that one group's counts are not fought over. */
const BUILD_CONCURRENCY = 8;

const pendingKey = (k: ViewKey) => ({ pk: `${viewPk(k)}#B`, sk: 'PENDING' });

/** The write that marks the view's build as pending, for the requesting transaction. */
export function buildPendingWrite(k: ViewKey, requestedAt: string, reason: string): TransactItem {
  return { Put: { TableName: k.table, Item: { ...pendingKey(k), kind: 'view-build', view: k.view, requestedAt, reason } } };
}

/** Whether a build of the view is pending (strongly consistent: a read right after the request sees it). */
export async function buildPending(k: ViewKey): Promise<boolean> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: k.table, Key: pendingKey(k), ConsistentRead: true }));
  return Item !== undefined;
}

/** After a build that started at `startedAt`: the view is ready, unless a build was asked for since. */
export async function buildDone(k: ViewKey, startedAt: string): Promise<void> {
  try {
    await documentClient().send(
      new DeleteCommand({ TableName: k.table, Key: pendingKey(k), ConditionExpression: 'attribute_not_exists(pk) OR requestedAt <= :started', ExpressionAttributeValues: { ':started': startedAt } }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/**
 * Builds the view from `fromSources` (read after the snapshot of the stored contributions) object
 * by object, each guarded by the version it had in the snapshot; see above. Returns how many
 * objects it moved, and how many a refresh had moved since the snapshot (left as they are).
 */
export async function buildView(k: ViewKey, fromSources: () => Promise<ReadonlyMap<string, Contribution>>): Promise<{ written: number; refreshedMeanwhile: number }> {
  const snapshot = await storedContributions(k);
  const computed = await fromSources();
  const ids = [...new Set([...snapshot.keys(), ...computed.keys()])].filter((id) => !sameContribution(snapshot.get(id)?.contribution, computed.get(id)));
  let written = 0;
  let refreshedMeanwhile = 0;
  const move = async (id: string) => {
    const writes = refreshWrites(k, id, snapshot.get(id), computed.get(id));
    try {
      // Only a conflict (another transaction on one of its items) is retried: a failed guard is an answer.
      await retryWithJitter(() => documentClient().send(new TransactWriteCommand({ TransactItems: writes })), { attempts: 12, retryable: (e) => lostRaceAt(e), baseMs: 10, maxMs: 400 });
      written++;
    } catch (error) {
      if (!conditionFailedAt(error, 0)) throw error;
      refreshedMeanwhile++;
    }
  };
  for (let i = 0; i < ids.length; i += BUILD_CONCURRENCY) await Promise.all(ids.slice(i, i + BUILD_CONCURRENCY).map(move));
  return { written, refreshedMeanwhile };
}
