/**
 * Table access of public disclosure (信息公开). gsi4 only.
 *
 * Keys:
 * | item                                   | pk                          | sk      | gsi4pk              | gsi4sk                                                   |
 * |----------------------------------------|-----------------------------|---------|---------------------|----------------------------------------------------------|
 * | disclosure record (audit; kept forever)| DSC#<disclosureId>          | DSC     | DSCALL#<region>     | <publishedAt>#<disclosureId>                              |
 * | live-source marker (one per source)    | DSCSRC#<kind>#<sourceId>    | DSCSRC  | –                   | –                                                        |
 * | public item (only while disclosed)     | DSCPUB#<disclosureId>       | DSCPUB  | DSCPUB#<region>     | <year>#<kind>#<department>#<publishedAt>#<disclosureId>   |
 *
 * Defence in depth: the public routes read only `DSCPUB#…` items (GetItem by that key, Query on
 * the `DSCPUB#<region>` partition of gsi4). A public item holds the public projection and
 * nothing else; it is written in the same transaction as the disclosure and deleted in the same
 * transaction as the withdrawal, so the public side can never reach a record that is not
 * currently disclosed, whatever id or cursor it is given. The marker makes "already disclosed"
 * a conditional-write 409 and is removed on withdrawal, so the source can be disclosed again.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DisclosurePublished, DisclosureWithdrawn } from '../../../events/accountability-disclosure.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { Problem } from '../../../shared/errors.ts';
import { stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import { decodeCursor, type Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import { publicView, type DisclosureKind, type DisclosureRecord, type PublicDisclosure } from '../domain/disclosure.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI4 = { name: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' } as const;

export const DISCLOSURE_ID = /^dsc_[a-z0-9]{10,40}$/;

const recordKey = (id: string) => ({ pk: `DSC#${id}`, sk: 'DSC' });
const publicKey = (id: string) => ({ pk: `DSCPUB#${id}`, sk: 'DSCPUB' });
const markerKey = (kind: DisclosureKind, sourceId: string) => ({ pk: `DSCSRC#${kind}#${sourceId}`, sk: 'DSCSRC' });
const publicSort = (p: { fiscalYear: number; kind: DisclosureKind; department: string; publishedAt: string; id: string }) =>
  `${p.fiscalYear}#${p.kind}#${p.department}#${p.publishedAt}#${p.id}`;

/**
 * `kind` is every item's type tag (stripped from replies), so the disclosure kind is stored as
 * `disclosureKind` and mapped back on read.
 */
const recordItem = ({ kind, ...r }: DisclosureRecord) => ({ ...recordKey(r.id), kind: 'disclosure', disclosureKind: kind, gsi4pk: `DSCALL#${r.region}`, gsi4sk: `${r.publishedAt}#${r.id}`, ...r });
const publicItem = (record: DisclosureRecord) => {
  const { kind, ...view } = publicView(record);
  return { ...publicKey(record.id), kind: 'disclosure-public', disclosureKind: kind, gsi4pk: `DSCPUB#${record.region}`, gsi4sk: publicSort(record), region: record.region, ...view };
};
function fromRecordItem(item: Record<string, unknown>): DisclosureRecord {
  const { disclosureKind, ...rest } = stripKeys<Omit<DisclosureRecord, 'kind'> & { disclosureKind: DisclosureKind }>(item);
  return { ...rest, kind: disclosureKind } as DisclosureRecord;
}
function fromPublicItem(item: Record<string, unknown>): PublicDisclosure {
  const { disclosureKind, region: _region, ...rest } = stripKeys<Omit<PublicDisclosure, 'kind'> & { disclosureKind: DisclosureKind; region: string }>(item);
  return { id: rest.id, kind: disclosureKind, fiscalYear: rest.fiscalYear, department: rest.department, title: rest.title, publishedAt: rest.publishedAt, content: rest.content };
}

export class AlreadyDisclosed extends Error {
  constructor(readonly disclosureId: string | undefined) {
    super('already disclosed');
  }
}

/**
 * Writes the record, the public item and the marker with the event (and the idempotency record)
 * in one transaction. Throws AlreadyDisclosed when the source has a live disclosure.
 */
export async function createDisclosure(record: DisclosureRecord, event: OutboxEvent<DisclosurePublished['data']>, extra: TransactItem[] = []): Promise<void> {
  const t = table();
  const items: TransactItem[] = [
    {
      Put: {
        TableName: t,
        Item: { ...markerKey(record.kind, record.sourceId), kind: 'disclosure-marker', disclosureId: record.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    { Put: { TableName: t, Item: recordItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: t, Item: publicItem(record), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...extra,
  ];
  try {
    await writeWithOutbox({ tableName: t, source: source(), items, events: [event] });
  } catch (error) {
    if (conditionFailedAt(error, 0)) {
      throw new AlreadyDisclosed(await liveDisclosureId(record.kind, record.sourceId));
    }
    throw error;
  }
}

export async function liveDisclosureId(kind: DisclosureKind, sourceId: string): Promise<string | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: markerKey(kind, sourceId), ConsistentRead: true }));
  return Item?.disclosureId as string | undefined;
}

/** Marks the record withdrawn, deletes the public item and the marker, with the event. False when it changed meanwhile. */
export async function withdrawDisclosure(record: DisclosureRecord, withdrawn: DisclosureRecord, event: OutboxEvent<DisclosureWithdrawn['data']>): Promise<boolean> {
  const t = table();
  try {
    await writeWithOutbox({
      tableName: t,
      source: source(),
      items: [
        {
          Put: {
            TableName: t,
            Item: recordItem(withdrawn),
            ConditionExpression: 'attribute_exists(pk) AND #version = :v AND #status = :published',
            ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
            ExpressionAttributeValues: { ':v': record.version, ':published': 'published' },
          },
        },
        { Delete: { TableName: t, Key: publicKey(record.id) } },
        {
          Delete: {
            TableName: t,
            Key: markerKey(record.kind, record.sourceId),
            ConditionExpression: 'attribute_not_exists(pk) OR disclosureId = :id',
            ExpressionAttributeValues: { ':id': record.id },
          },
        },
      ],
      events: [event],
    });
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') return false;
    throw error;
  }
}

export async function getDisclosure(id: string): Promise<DisclosureRecord | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: recordKey(id), ConsistentRead: true }));
  return Item ? fromRecordItem(Item) : undefined;
}

/** Finance and supervisors: every disclosure of the region, newest first, withdrawn ones included. */
export async function listDisclosures(
  region: string,
  filter: { kind?: DisclosureKind; year?: number; status?: 'published' | 'withdrawn' },
  limit: number,
  cursor?: string,
): Promise<Page<DisclosureRecord>> {
  const page = await queryPage({
    tableName: table(),
    index: GSI4,
    partition: `DSCALL#${region}`,
    newestFirst: true,
    filters: [
      ...(filter.kind ? [{ expression: '#dkind = :dkind', names: { '#dkind': 'disclosureKind' }, values: { ':dkind': filter.kind } }] : []),
      ...(filter.year ? [{ expression: '#year = :year', names: { '#year': 'fiscalYear' }, values: { ':year': filter.year } }] : []),
      ...(filter.status ? [{ expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': filter.status } }] : []),
    ],
    limit,
    ...(cursor ? { cursor } : {}),
  });
  return { items: page.items.map(fromRecordItem), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

// ---------- public side: only DSCPUB# items ----------

export async function getPublicDisclosure(region: string, id: string): Promise<PublicDisclosure | undefined> {
  if (!DISCLOSURE_ID.test(id)) return undefined;
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: publicKey(id) }));
  if (!Item || Item.region !== region || Item.kind !== 'disclosure-public') return undefined;
  return fromPublicItem(Item);
}

export interface PublicFilter {
  kind?: DisclosureKind;
  year?: number;
  department?: string;
}

function invalidCursor(reason: string): Problem {
  return new Problem(400, 'invalid-cursor', `The cursor is not valid for this list: ${reason}. Start again without a cursor.`, {
    errors: [{ field: 'query.cursor', message: reason }],
  });
}

/** The canonical text of a filter: a cursor is valid only with the filter it was issued for. */
const filterText = (f: PublicFilter) => `k=${f.kind ?? ''}&y=${f.year ?? ''}&d=${f.department ?? ''}`;

/**
 * The key-condition prefix of a filter: year, year+kind and year+kind+department narrow the sort
 * key; the other combinations add a filter expression on the same partition (never a scan).
 */
function sortPrefix(f: PublicFilter): string | undefined {
  if (f.year === undefined) return undefined;
  if (!f.kind) return `${f.year}#`;
  return f.department ? `${f.year}#${f.kind}#${f.department}#` : `${f.year}#${f.kind}#`;
}

function wrapCursor(filter: PublicFilter, inner: string | undefined): string | undefined {
  return inner ? Buffer.from(JSON.stringify({ f: filterText(filter), k: inner }), 'utf8').toString('base64url') : undefined;
}

/**
 * Unwraps and checks a public cursor: issued for this very filter, and pointing at a public
 * item's position in this region's public partition (within the filter's key range). Anything
 * else is a 400; a cursor can never move the query anywhere but the public partition.
 */
function unwrapCursor(region: string, filter: PublicFilter, cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalidCursor('malformed');
  let outer: unknown;
  try {
    outer = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('malformed');
  }
  if (typeof outer !== 'object' || outer === null || Array.isArray(outer)) throw invalidCursor('malformed');
  const { f, k, ...rest } = outer as Record<string, unknown>;
  if (Object.keys(rest).length || typeof f !== 'string' || typeof k !== 'string') throw invalidCursor('malformed');
  if (f !== filterText(filter)) throw invalidCursor('it was issued for another filter');
  const key = decodeCursor(k, { keyNames: ['pk', 'sk', 'gsi4pk', 'gsi4sk'], partition: { name: 'gsi4pk', value: `DSCPUB#${region}` } })!;
  const id = key.gsi4sk!.split('#').at(-1)!;
  const prefix = sortPrefix(filter);
  if (!DISCLOSURE_ID.test(id) || key.pk !== `DSCPUB#${id}` || key.sk !== 'DSCPUB' || (prefix && !key.gsi4sk!.startsWith(prefix))) {
    throw invalidCursor('it does not point into the public list');
  }
  return k;
}

export async function listPublicDisclosures(region: string, filter: PublicFilter, limit: number, cursor?: string): Promise<Page<PublicDisclosure>> {
  const inner = unwrapCursor(region, filter, cursor);
  const prefix = sortPrefix(filter);
  const filters: Filter[] = [
    ...(filter.year === undefined && filter.kind ? [{ expression: '#dkind = :dkind', names: { '#dkind': 'disclosureKind' }, values: { ':dkind': filter.kind } }] : []),
    ...(filter.year === undefined || !filter.kind ? (filter.department ? [{ expression: '#dept = :dept', names: { '#dept': 'department' }, values: { ':dept': filter.department } }] : []) : []),
  ];
  const page = await queryPage({
    tableName: table(),
    index: GSI4,
    partition: `DSCPUB#${region}`,
    ...(prefix ? { sortCondition: { expression: 'begins_with(#sk, :prefix)', values: { ':prefix': prefix } } } : {}),
    filters,
    limit,
    newestFirst: true,
    ...(inner ? { cursor: inner } : {}),
  });
  const items = page.items.map(fromPublicItem);
  const next = wrapCursor(filter, page.nextCursor);
  return { items, ...(next ? { nextCursor: next } : {}) };
}

/** For assessments (H3): how many targets and evaluations of a department's objects are public now. */
export async function disclosureStats(region: string, year: number, department: string): Promise<{ targetsDisclosed: number; evaluationsDisclosed: number }> {
  const count = async (kind: DisclosureKind) => {
    let total = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await documentClient().send(
        new QueryCommand({
          TableName: table(),
          IndexName: GSI4.name,
          KeyConditionExpression: 'gsi4pk = :pk AND begins_with(gsi4sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `DSCPUB#${region}`, ':prefix': `${year}#${kind}#${department}#` },
          Select: 'COUNT',
          ExclusiveStartKey: startKey,
        }),
      );
      total += result.Count ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return total;
  };
  const [targets, self, key] = await Promise.all([count('targets'), count('self_evaluation'), count('key_evaluation')]);
  return { targetsDisclosed: targets, evaluationsDisclosed: self + key };
}
