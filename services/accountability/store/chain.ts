/**
 * Storage of a tamper-evident record (a case, a rectification order; store/cases.ts and
 * store/rectifications.ts name the prefix and the head's indexes):
 *
 * | item  | pk            | sk         | GSIs |
 * |-------|---------------|------------|------|
 * | head  | <PREFIX>#<id> | HEAD       | the record's own (`indexKeys`) |
 * | entry | <PREFIX>#<id> | E#<seq:6>  | – |
 *
 * The head carries the chain's last seq and hash and a `version`; entries are written once with
 * attribute_not_exists and never updated. Every write is one transaction: the head (created, or replaced at the version
 * read: index 0), the new entries (indexes 1..n), any extra items, then the events through the
 * outbox — so two writers cannot both append entry n, and an event goes out only with its entry.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailedAt } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import { verifyChain, type ChainEntry } from '../domain/chain.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const pad = (n: number) => String(n).padStart(6, '0');

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
  const entryItem = (id: string, e: ChainEntry<string>): TransactItem =>
    putNew(table(), { pk: pk(id), sk: `E#${pad(e.seq)}`, kind: `${spec.kind}-entry`, [spec.idAttribute]: id, ...e });

  const create = async (head: H, first: ChainEntry<string>, events: OutboxEvent[], extra: TransactItem[] = []): Promise<void> => {
    await writeWithOutbox({ tableName: table(), source: source(), items: [putNew(table(), headItem(head)), entryItem(head.id, first), ...extra], events });
  };

  /** Every entry by seq, read strongly consistent (verification recomputes the chain from them). */
  const allEntries = async (id: string): Promise<E[]> => {
    const out: E[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await documentClient().send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
          ExpressionAttributeValues: { ':pk': pk(id), ':e': 'E#' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      out.push(...(result.Items ?? []).map((i) => stripKeys<E>(i)));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return out;
  };

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
      await writeWithOutbox({ tableName: table(), source: source(), items: [putAtVersion(table(), headItem(next), expectedVersion), ...entries.map((e) => entryItem(next.id, e)), ...extra], events });
    },
    allEntries,
    /** Recomputes the chain from the stored entries against the head's last seq and hash: the verify routes' answer. */
    verify: async (head: H) => {
      const result = verifyChain(await allEntries(head.id), { seq: head.lastSeq, hash: head.lastHash });
      return {
        id: head.id,
        valid: result.valid,
        length: result.length,
        ...(result.brokenAt !== undefined ? { brokenAt: result.brokenAt } : {}),
        ...(result.reason ? { reason: result.reason } : {}),
        head: { seq: head.lastSeq, hash: head.lastHash },
        verifiedAt: new Date().toISOString(),
      };
    },
  };
}
