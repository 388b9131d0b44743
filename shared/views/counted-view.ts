/**
 * Maintained read models in the owning service's table (the pure rules are in
 * shared/pure/view-delta.ts). For a view of a region's year, V = VIEW#<view>#<region>#<year>:
 *
 * | item                     | pk                   | sk           |
 * |--------------------------|----------------------|--------------|
 * | a group's counts         | V                    | G#<group>    |
 * | an object's contribution | V#C                  | <objectId>   |
 * | a line of a group's list | V#L#<list>#<group>   | <sortKey>    |
 *
 * A view reads its groups (one Query of V, or one GetItem for one group) and the first lines of a
 * group's list (a Query with a Limit of that group's partition): O(groups), whatever the number of
 * objects. Groups, contributions and each group's lines are partitions of their own, so what a
 * view reads never sits among what it does not (DynamoDB Local's queries slow down with the size
 * of the partition they read, measured: ×1.5 for ×10 items; real DynamoDB's do not).
 *
 * `refreshContribution` applies the difference between an object's stored contribution and the
 * one just computed from its sources, in one transaction guarded by the contribution's version:
 * two refreshes of one object racing each other cannot both apply (the loser reads again), and a
 * refresh that computes what is already stored writes nothing. Group counts are plain attributes
 * `n_<count>` changed with ADD, so refreshes of different objects of one group do not conflict on
 * a read-modify-write (only on DynamoDB's own item lock, which the retries absorb).
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, type WriteRequest } from '../batch-write.ts';
import { documentClient } from '../clients/dynamodb.ts';
import { lostRaceAt } from '../conditions.ts';
import { invalidCursor, type Page } from '../pagination.ts';
import { computeView, groupsOf, sameContribution, viewDelta, viewDifferences, type ComputedView, type Contribution, type GroupLine } from '../pure/view-delta.ts';
import { queryPage } from '../query.ts';
import { retryWithJitter } from '../retry.ts';
import type { TransactItem } from '../outbox.ts';

export interface ViewKey {
  table: string;
  view: string;
  region: string;
  year: number;
}

const COUNT_PREFIX = 'n_';
export const viewPk = (k: ViewKey) => `VIEW#${k.view}#${k.region}#${k.year}`;
const contributionKey = (k: ViewKey, objectId: string) => ({ pk: `${viewPk(k)}#C`, sk: objectId });
const groupSk = (group: string) => `G#${group}`;
export const linesPk = (k: ViewKey, list: string, group: string) => `${viewPk(k)}#L#${list}#${group}`;
const lineKey = (k: ViewKey, l: Pick<GroupLine, 'group' | 'list' | 'sortKey'>) => ({ pk: linesPk(k, l.list, l.group), sk: l.sortKey });

export interface StoredContribution {
  contribution: Contribution;
  version: number;
}

async function readContribution(k: ViewKey, objectId: string): Promise<StoredContribution | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: k.table, Key: contributionKey(k, objectId), ConsistentRead: true }));
  return Item ? { contribution: Item.contribution as Contribution, version: Number(Item.version) } : undefined;
}

/** The writes that move the view from `stored` to `next` for one object; index 0 is the guarded contribution. */
export function refreshWrites(k: ViewKey, objectId: string, stored: StoredContribution | undefined, next: Contribution | undefined): TransactItem[] {
  const pk = viewPk(k);
  const guard = stored
    ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': stored.version } }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
  const head: TransactItem = next
    ? { Put: { TableName: k.table, Item: contributionItem(k, objectId, next, (stored?.version ?? 0) + 1), ...guard } }
    : { Delete: { TableName: k.table, Key: contributionKey(k, objectId), ...guard } };
  const delta = viewDelta(stored?.contribution, next);
  const groups: TransactItem[] = [...delta.groups].map(([group, counts]) => {
    const names = Object.keys(counts);
    return {
      Update: {
        TableName: k.table,
        Key: { pk, sk: groupSk(group) },
        UpdateExpression: `SET kind = :kind, #group = :group ADD ${names.map((_, i) => `#c${i} :d${i}`).join(', ')}`,
        ExpressionAttributeNames: { '#group': 'group', ...Object.fromEntries(names.map((n, i) => [`#c${i}`, `${COUNT_PREFIX}${n}`])) },
        ExpressionAttributeValues: { ':kind': 'view-group', ':group': group, ...Object.fromEntries(names.map((n, i) => [`:d${i}`, counts[n]])) },
      },
    };
  });
  const removed: TransactItem[] = delta.removeLines.map((l) => ({ Delete: { TableName: k.table, Key: lineKey(k, l) } }));
  const put: TransactItem[] = delta.putLines.map((l) => ({ Put: { TableName: k.table, Item: lineItem(k, l) } }));
  return [head, ...groups, ...removed, ...put];
}

const contributionItem = (k: ViewKey, objectId: string, contribution: Contribution, version: number) => ({ ...contributionKey(k, objectId), kind: 'view-contribution', objectId, contribution, version });
const lineItem = (k: ViewKey, l: GroupLine) => ({ ...lineKey(k, l), kind: 'view-line', group: l.group, list: l.list, sortKey: l.sortKey, data: l.data });

const retryable = (error: unknown) => lostRaceAt(error, 0);

/**
 * Makes the view hold `next` as the object's contribution (undefined: none). Returns whether
 * anything was written. Retries when another refresh of the same object, or a write to the same
 * group, got there first; then reads again and applies what is still missing.
 */
export async function refreshContribution(k: ViewKey, objectId: string, next: Contribution | undefined): Promise<boolean> {
  return retryWithJitter(
    async () => {
      const { writes } = await contributionWrites(k, objectId, next);
      if (!writes.length) return false;
      await documentClient().send(new TransactWriteCommand({ TransactItems: writes }));
      return true;
    },
    { attempts: 12, retryable, baseMs: 10, maxMs: 400 },
  );
}

/**
 * The writes that make the view hold `next` as the object's contribution, for a transaction of the
 * caller's own (its source item and its view change together); none when the view already holds
 * it. The first write is guarded by the contribution's version: a transaction cancelled on it lost
 * a race with another refresh, and is retried after reading again. `isNew`: the object had no
 * contribution yet.
 */
export async function contributionWrites(k: ViewKey, objectId: string, next: Contribution | undefined): Promise<{ writes: TransactItem[]; isNew: boolean }> {
  const stored = await readContribution(k, objectId);
  return { writes: sameContribution(stored?.contribution, next) ? [] : refreshWrites(k, objectId, stored, next), isNew: !stored };
}

/** A group's counts; a count back at 0 (its last object left) is left out, as a computed view leaves it out. */
const countsOf = (item: Record<string, unknown>): Record<string, number> =>
  Object.fromEntries(
    Object.entries(item)
      .filter(([name, value]) => name.startsWith(COUNT_PREFIX) && Number(value) !== 0)
      .map(([name, value]) => [name.slice(COUNT_PREFIX.length), Number(value)]),
  );

/** Every group of the view with its counts, or the one group asked for. Reads O(groups) small items. */
export async function readGroups(k: ViewKey, group?: string): Promise<Map<string, Record<string, number>>> {
  if (group !== undefined) {
    const { Item } = await documentClient().send(new GetCommand({ TableName: k.table, Key: { pk: viewPk(k), sk: groupSk(group) } }));
    return new Map(Item ? [[group, countsOf(Item)]] : []);
  }
  // The groups are the whole of the view's own partition (contributions and lines have theirs).
  const items = await partitionItems(k.table, viewPk(k), { consistent: false });
  return new Map(items.map((item) => [String(item.group), countsOf(item)]));
}

/** One page of a group's list, in sort-key order. */
export async function readGroupLines(k: ViewKey, list: string, group: string, limit: number, cursor?: string): Promise<Page<GroupLine>> {
  const page = await queryPage({ tableName: k.table, partition: linesPk(k, list, group), limit, ...(cursor ? { cursor } : {}) });
  return { items: page.items.map(lineOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

const lineOf = (i: Record<string, unknown>): GroupLine => ({ group: String(i.group), list: String(i.list), sortKey: String(i.sortKey), data: i.data as GroupLine['data'] });

/** Where a walk over every group's list stopped: the group, and the cursor within it (a group's query cursor). */
export interface WalkCursor {
  g: string;
  c?: string;
}

/** The walk cursor a `readLines` page handed out; one that is not one is a 400. */
export function decodeWalkCursor(cursor: string): WalkCursor {
  let at: WalkCursor | undefined;
  try {
    at = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as WalkCursor;
  } catch {
    at = undefined;
  }
  if (!at || typeof at !== 'object' || typeof at.g !== 'string' || (at.c !== undefined && typeof at.c !== 'string')) throw invalidCursor('not a cursor of this list');
  return at;
}

export const encodeWalkCursor = (at: WalkCursor): string => Buffer.from(JSON.stringify(at)).toString('base64url');

/**
 * One page of a list over every group (groups in order, each group's lines in sort-key order).
 * The cursor names the group and the position in it; a cursor that is not one is a 400.
 */
export async function readLines(k: ViewKey, list: string, limit: number, cursor?: string): Promise<Page<GroupLine>> {
  const at = cursor ? decodeWalkCursor(cursor) : undefined;
  const groups = [...(await readGroups(k)).keys()].sort().filter((g) => !at || g >= at.g);
  const items: GroupLine[] = [];
  for (const group of groups) {
    const inner = at && group === at.g ? at.c : undefined;
    const page = await readGroupLines(k, list, group, limit - items.length, inner);
    items.push(...page.items);
    if (items.length >= limit) {
      const next: WalkCursor | undefined = page.nextCursor ? { g: group, c: page.nextCursor } : nextGroup(groups, group);
      return { items, ...(next ? { nextCursor: encodeWalkCursor(next) } : {}) };
    }
  }
  return { items };
}

const nextGroup = (groups: readonly string[], group: string): WalkCursor | undefined => {
  const following = groups[groups.indexOf(group) + 1];
  return following === undefined ? undefined : { g: following };
};

/**
 * Every item of one partition: a view's groups (eventually consistent, as a reader may), or, for
 * the maintenance commands, any partition (strongly consistent: they compare and rewrite).
 */
async function partitionItems(table: string, pk: string, options: { consistent: boolean } = { consistent: true }): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: options.consistent, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/**
 * Every item of the view (the maintenance commands only: O(objects)): the groups, the
 * contributions, and the lines of every group any of these name (a line under a group nothing
 * names any more is found through the contributions' groups of the lists in `lists`).
 */
async function allItems(k: ViewKey, lists: readonly string[], extraGroups: Iterable<string> = []): Promise<Record<string, unknown>[]> {
  const [groupItems, contributionItems] = await Promise.all([partitionItems(k.table, viewPk(k)), partitionItems(k.table, `${viewPk(k)}#C`)]);
  const groups = new Set<string>([...extraGroups, ...groupItems.map((i) => String(i.group)), ...contributionItems.flatMap((i) => groupsOf(i.contribution as Contribution))]);
  const lineItems: Record<string, unknown>[] = [];
  for (const list of lists) for (const group of groups) lineItems.push(...(await partitionItems(k.table, linesPk(k, list, group))));
  return [...groupItems, ...contributionItems, ...lineItems];
}

/** Every object's stored contribution with its version (strongly consistent; the view builder's starting point). */
export async function storedContributions(k: ViewKey): Promise<Map<string, StoredContribution>> {
  const items = await partitionItems(k.table, `${viewPk(k)}#C`);
  return new Map(items.map((i) => [String(i.objectId), { contribution: i.contribution as Contribution, version: Number(i.version) }]));
}

/** The view as stored, in the shape of a computed one. */
export async function storedView(k: ViewKey, lists: readonly string[], extraGroups: Iterable<string> = []): Promise<ComputedView & { contributions: Map<string, Contribution> }> {
  const groups = new Map<string, Record<string, number>>();
  const byList = new Map<string, GroupLine[]>();
  const contributions = new Map<string, Contribution>();
  for (const item of await allItems(k, lists, extraGroups)) {
    if (item.kind === 'view-group') groups.set(String(item.group), countsOf(item));
    else if (item.kind === 'view-line') byList.set(String(item.list), [...(byList.get(String(item.list)) ?? []), lineOf(item)]);
    else if (item.kind === 'view-contribution') contributions.set(String(item.objectId), item.contribution as Contribution);
  }
  return { groups, lists: byList, contributions };
}

/** The lists the contributions have lines in (what the maintenance commands must read). */
const listsOf = (contributions: Iterable<Contribution>, known: readonly string[]) => [...new Set([...known, ...[...contributions].flatMap((c) => c.lines.map((l) => l.list))])];

/**
 * Compares the stored view with the one computed from the sources' contributions: the groups and
 * lines people read, and each object's stored contribution (what the next refresh takes back).
 */
export async function verifyView(k: ViewKey, fromSources: ReadonlyMap<string, Contribution>, lists: readonly string[]): Promise<string[]> {
  const stored = await storedView(k, listsOf(fromSources.values(), lists), [...fromSources.values()].flatMap(groupsOf));
  const differences = viewDifferences(stored, computeView(fromSources.values()));
  for (const id of new Set([...stored.contributions.keys(), ...fromSources.keys()])) {
    if (!sameContribution(stored.contributions.get(id), fromSources.get(id))) differences.push(`object ${id}: the stored contribution differs from its sources`);
  }
  return differences;
}

/**
 * Replaces the whole view with the one computed from the sources. Meant for a quiet moment (a
 * refresh running during the rebuild may be overwritten; a second `--verify` shows it, and a
 * refresh of that object repairs it).
 */
export async function rebuildView(k: ViewKey, fromSources: ReadonlyMap<string, Contribution>, lists: readonly string[]): Promise<{ deleted: number; written: number }> {
  const existing = await allItems(k, listsOf(fromSources.values(), lists), [...fromSources.values()].flatMap(groupsOf));
  const computed = computeView(fromSources.values());
  const pk = viewPk(k);
  const puts: WriteRequest[] = [
    ...[...fromSources].map(([objectId, contribution]) => ({ PutRequest: { Item: contributionItem(k, objectId, contribution, 1) } })),
    ...[...computed.groups].map(([group, counts]) => ({
      PutRequest: { Item: { pk, sk: groupSk(group), kind: 'view-group', group, ...Object.fromEntries(Object.entries(counts).map(([n, v]) => [`${COUNT_PREFIX}${n}`, v])) } },
    })),
    ...[...computed.lists.values()].flat().map((l) => ({ PutRequest: { Item: lineItem(k, l) } })),
  ];
  const keyOf = (i: { pk: unknown; sk: unknown }) => `${String(i.pk)}\u0000${String(i.sk)}`;
  const kept = new Set(puts.map((p) => keyOf((p as { PutRequest: { Item: { pk: string; sk: string } } }).PutRequest.Item)));
  const deletes: WriteRequest[] = existing.filter((i) => !kept.has(keyOf(i as { pk: unknown; sk: unknown }))).map((i) => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } }));
  await batchWrite(k.table, deletes);
  await batchWrite(k.table, puts);
  return { deleted: deletes.length, written: puts.length };
}
