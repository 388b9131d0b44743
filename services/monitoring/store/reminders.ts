/**
 * Reminder and escalation markers: that a missing report's reminder (or escalation) was sent.
 * Written in one transaction with its event, conditionally, so each goes out once.
 *
 * | item                         | pk                        | sk                    | GSIs |
 * |------------------------------|---------------------------|-----------------------|------|
 * | reminder / escalation marker | DUE#<windowId>#<objectId> | REMINDER / ESCALATION | – (attribute sentAt) |
 */
import { batchGet } from '../../../shared/batch-get.ts';
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
