/**
 * Storage of a tamper-evident record (a case, a rectification order; store/cases.ts and
 * store/rectifications.ts name the prefix and the head's indexes):
 *
 * | item    | pk            | sk             | GSIs |
 * |---------|---------------|----------------|------|
 * | head    | <PREFIX>#<id> | HEAD           | the record's own (`indexKeys`) |
 * | entry   | <PREFIX>#<id> | E#<seq:6>      | – |
 * | pending | TRAILQ        | <PREFIX>#<id>  | – |
 *
 * Each entry carries `mac`: the trail key's MAC of its link hash and record (domain/chain.ts
 * `trailMacMessage`). Every write also puts the record's `pending` item (its last seq), the
 * checkpoint job's queue of records changed since their last checkpoint (jobs/checkpoint.ts);
 * the job deletes it once the checkpoint is written, unless a newer entry came meanwhile.
 *
 * The head carries the chain's last seq and hash and a `version`; entries are written once with
 * attribute_not_exists and never updated. Every write is one transaction: the head (created, or replaced at the version
 * read: index 0), the new entries (indexes 1..n), any extra items, then the events through the
 * outbox — so two writers cannot both append entry n, and an event goes out only with its entry.
 */
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import { latestCheckpoint } from '../../../shared/keys/checkpoints.ts';
import { trailMac, trailMacValid } from '../../../shared/keys/trail-mac.ts';
import pMap from 'p-map';
import { trailMacMessage, verifyChain, type ChainEntry, type TrailEvidence } from '../domain/chain.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const pad = (n: number) => String(n).padStart(6, '0');

/** Partition of the checkpoint job's queue: one item per record changed since its last checkpoint. */
export const TRAIL_PENDING_PK = 'TRAILQ';
/** KMS calls in flight for one record's MACs (a record has tens of entries). */
const MAC_CONCURRENCY = 8;

/** A stored entry: the chain entry and its MAC under the trail key. */
export type MacedEntry<E extends ChainEntry<string>> = E & { mac?: string };

/** The MAC of each stored entry verified under the trail key, in order. */
export const macsValid = (record: string, entries: readonly MacedEntry<ChainEntry<string>>[]): Promise<boolean[]> =>
  pMap(entries, (e) => trailMacValid(trailMacMessage(record, e), e.mac), { concurrency: MAC_CONCURRENCY });

/** Reads a record's entries by seq, strongly consistent. */
export async function recordEntries<E>(record: string): Promise<E[]> {
  const out: E[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': record, ':e': 'E#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    out.push(...(result.Items ?? []).map((i) => stripKeys<E>(i)));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return out;
}

/** Everything a verification needs from outside the entries: their MACs and the latest checkpoint. */
export async function trailEvidence(record: string, entries: readonly MacedEntry<ChainEntry<string>>[]): Promise<TrailEvidence> {
  const [macValid, checkpoint] = await Promise.all([macsValid(record, entries), latestCheckpoint(record)]);
  return { macValid, ...(checkpoint ? { checkpoint: { seq: checkpoint.seq, hashes: checkpoint.hashes, at: checkpoint.at } } : {}) };
}

export interface ChainedRecordSpec<H> {
  /** Partition key prefix: `CASE`, `RECT`. */
  prefix: string;
  /** `kind` of the head item; entries get `<kind>-entry`. */
  kind: string;
  /** Attribute naming the record on each entry (`caseId`, `orderId`). */
  idAttribute: string;
  /** The head's index attributes (gsiNpk/gsiNsk). */
  indexKeys: (head: H) => Record<string, string>;
}

/** A head: the record, with the seq and hash of its last entry. */
export interface ChainHead {
  id: string;
  lastSeq: number;
  lastHash: string;
}

export function chainedRecordStore<H extends ChainHead, E extends ChainEntry<string>>(spec: ChainedRecordSpec<H>) {
  const pk = (id: string) => `${spec.prefix}#${id}`;
  const headItem = (h: H): Record<string, unknown> => ({ pk: pk(h.id), sk: 'HEAD', kind: spec.kind, ...spec.indexKeys(h), ...(h as unknown as Record<string, unknown>) });
  /** The entries as items, each with its MAC (one trail-key call per entry). */
  const entryItems = (id: string, entries: readonly ChainEntry<string>[]): Promise<TransactItem[]> =>
    pMap(
      entries,
      async (e) => putNew(table(), { pk: pk(id), sk: `E#${pad(e.seq)}`, kind: `${spec.kind}-entry`, [spec.idAttribute]: id, ...e, mac: await trailMac(trailMacMessage(pk(id), e)) }),
      { concurrency: MAC_CONCURRENCY },
    );
  /** The record's place in the checkpoint job's queue, at its new last seq (overwritten by each write). */
  const pendingItem = (id: string, lastSeq: number): TransactItem => ({
    Put: { TableName: table(), Item: { pk: TRAIL_PENDING_PK, sk: pk(id), kind: 'trail-pending', record: pk(id), seq: lastSeq } },
  });

  const create = async (head: H, first: ChainEntry<string>, events: OutboxEvent[], extra: TransactItem[] = []): Promise<void> => {
    await writeWithOutbox({
      tableName: table(),
      source: source(),
      items: [putNew(table(), headItem(head)), ...(await entryItems(head.id, [first])), ...extra, pendingItem(head.id, first.seq)],
      events,
    });
  };

  /** Every entry by seq, read strongly consistent (verification recomputes the chain from them). */
  const allEntries = (id: string): Promise<MacedEntry<E>[]> => recordEntries<MacedEntry<E>>(pk(id));

  return {
    get: async (id: string, consistent = true): Promise<H | undefined> => {
      const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: pk(id), sk: 'HEAD' }, ConsistentRead: consistent }));
      return Item ? stripKeys<H>(Item) : undefined;
    },
    /** Creates the record with its first entry (index 0: the head, absent; index 1: the entry), then `extra`, then the events. */
    create,
    /** Creates it unless it exists (a redelivered or repeated event): returns whether it was created. */
    createOnce: async (head: H, first: ChainEntry<string>, events: OutboxEvent[]): Promise<boolean> => {
      try {
        await create(head, first, events);
        return true;
      } catch (error) {
        if (cancelledByConditions(error) && conditionFailedAt(error, 0)) return false;
        throw error;
      }
    },
    /** Appends entries: the head replaced at the version read (index 0; a failure there is a lost race), the entries created new, then the events. */
    append: async (next: H, expectedVersion: number, entries: readonly ChainEntry<string>[], events: OutboxEvent[] = [], extra: TransactItem[] = []): Promise<void> => {
      const last = entries.at(-1)?.seq ?? next.lastSeq;
      await writeWithOutbox({
        tableName: table(),
        source: source(),
        items: [putAtVersion(table(), headItem(next), expectedVersion), ...(await entryItems(next.id, entries)), ...extra, pendingItem(next.id, last)],
        events,
      });
    },
    allEntries,
    /**
     * Recomputes the chain from the stored entries against the head's last seq and hash, each
     * entry's MAC and the latest checkpoint: the verify routes' answer.
     */
    verify: async (head: H) => {
      const entries = await allEntries(head.id);
      const evidence = await trailEvidence(pk(head.id), entries);
      const result = verifyChain(entries, { seq: head.lastSeq, hash: head.lastHash }, evidence);
      return {
        id: head.id,
        valid: result.valid,
        length: result.length,
        ...(result.brokenAt !== undefined ? { brokenAt: result.brokenAt } : {}),
        ...(result.reason ? { reason: result.reason } : {}),
        head: { seq: head.lastSeq, hash: head.lastHash },
        keyed: true,
        checkpoint: evidence.checkpoint ? { seq: evidence.checkpoint.seq, at: evidence.checkpoint.at } : null,
        verifiedAt: new Date().toISOString(),
      };
    },
  };
}

/** A record waiting for its checkpoint: its key and the last seq written when it was queued. */
export interface PendingCheckpoint {
  record: string;
  seq: number;
}

/** One page of the checkpoint job's queue; `next` resumes after it. */
export async function pendingCheckpoints(startKey?: Record<string, unknown>, limit = 100): Promise<{ items: PendingCheckpoint[]; next?: Record<string, unknown> }> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': TRAIL_PENDING_PK },
      ConsistentRead: true,
      Limit: limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return {
    items: (result.Items ?? []).map((i) => ({ record: String(i.record), seq: Number(i.seq) })),
    ...(result.LastEvaluatedKey ? { next: result.LastEvaluatedKey } : {}),
  };
}

/** The head's last seq and hash of a record, read strongly consistent. */
export async function recordHead(record: string): Promise<{ lastSeq: number; lastHash: string } | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: record, sk: 'HEAD' }, ConsistentRead: true }));
  return Item ? { lastSeq: Number(Item.lastSeq), lastHash: String(Item.lastHash) } : undefined;
}

/** Takes a record off the queue, unless an entry was appended after `seq` (then it stays for the next run). */
export async function clearPending(item: PendingCheckpoint): Promise<boolean> {
  try {
    await documentClient().send(
      new DeleteCommand({
        TableName: table(),
        Key: { pk: TRAIL_PENDING_PK, sk: item.record },
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeValues: { ':seq': item.seq },
      }),
    );
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}
