/**
 * Reminder and escalation markers: that a missing report's reminder (or escalation) was sent.
 * Written in one transaction with its event, conditionally, so each goes out once.
 *
 * | item                         | pk                        | sk                    | GSIs |
 * |------------------------------|---------------------------|-----------------------|------|
 * | reminder / escalation marker | DUE#<windowId>#<objectId> | REMINDER / ESCALATION | – (attribute sentAt) |
 * | where a sweep of a window stopped | DUE#<windowId>         | CHECKPOINT            | – (the scope cursor to resume at) |
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet } from '../../../shared/batch-get.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { writeWithOutbox, type OutboxEvent } from '../../../shared/outbox.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);

export type DueStage = 'REMINDER' | 'ESCALATION';

/**
 * Writes the marker (index 0, only if absent) and the reminder's event together; a failed
 * condition on index 0 means an earlier (or concurrent) run sent it.
 */
export async function recordSent(windowId: string, objectId: string, stage: DueStage, sentAt: string, events: OutboxEvent[]): Promise<void> {
  await writeWithOutbox({
    tableName: table(),
    source: source(),
    items: [{ Put: { TableName: table(), Item: { pk: `DUE#${windowId}#${objectId}`, sk: stage, kind: 'due-marker', sentAt }, ConditionExpression: 'attribute_not_exists(pk)' } }],
    events,
  });
}

/** The markers of a window's objects that exist, as `<objectId>#REMINDER` / `<objectId>#ESCALATION`. */
export async function sentMarkers(windowId: string, objectIds: readonly string[]): Promise<Set<string>> {
  const keys = objectIds.flatMap((id) => [
    { pk: `DUE#${windowId}#${id}`, sk: 'REMINDER' },
    { pk: `DUE#${windowId}#${id}`, sk: 'ESCALATION' },
  ]);
  const items = await batchGet(table(), keys);
  return new Set(items.map((i) => `${(i.pk as string).slice(`DUE#${windowId}#`.length)}#${i.sk as string}`));
}

export interface SweepCheckpoint {
  /** The scope list's cursor of the next page to look at. */
  cursor: string;
  /** Pages looked at so far in this pass, and when the checkpoint was written. */
  pages: number;
  at: string;
}

const checkpointKey = (windowId: string) => ({ pk: `DUE#${windowId}`, sk: 'CHECKPOINT' });

/** Where the last sweep of the window stopped before finishing it (none: start at the beginning). */
export async function getSweepCheckpoint(windowId: string): Promise<SweepCheckpoint | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: checkpointKey(windowId), ConsistentRead: true }));
  return Item ? { cursor: String(Item.cursor), pages: Number(Item.pages), at: String(Item.at) } : undefined;
}

export async function putSweepCheckpoint(windowId: string, checkpoint: SweepCheckpoint): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { ...checkpointKey(windowId), kind: 'sweep-checkpoint', ...checkpoint } }));
}

/** The pass over the window is complete: the next sweep starts at the beginning. */
export async function clearSweepCheckpoint(windowId: string): Promise<void> {
  await documentClient().send(new DeleteCommand({ TableName: table(), Key: checkpointKey(windowId) }));
}

