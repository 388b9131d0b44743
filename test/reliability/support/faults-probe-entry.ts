/**
 * A test-only consumer for the fault tests, behind the real consumer wrapper (shared/consumer.ts:
 * envelope parsed with the event's schema, Powertools idempotency on detail.meta.eventId in
 * its own table). Its effect is deliberately NOT idempotent (it adds one to a counter per
 * event id), so a second effect of one event shows up as a count of 2; it commits through the
 * wrapper's `applyOnce`, whose marker is what keeps a second run (after an idempotency record
 * lost to a store failure) from applying it again.
 *
 * Its plan (set by the test, per function) makes it fail: `failFirst: N` throws on the first N
 * attempts of every event, `failAlways: true` throws on every attempt (until the test fixes it).
 * Attempts are counted in the table with atomic adds, so concurrent sandboxes agree (only while
 * the plan makes it fail: nothing reads them otherwise).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { applyOnce, createConsumer, type ConsumedEvent } from '../../../shared/consumer.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { readPlan } from './faults-inject.ts';

export interface ProbePlan {
  failFirst?: number;
  failAlways?: boolean;
}

const fn = process.env.AWS_LAMBDA_FUNCTION_NAME as string;
const tableName = process.env.TABLE_NAME as string;

/** Adds one to the attempts of an event (atomic, so concurrent sandboxes agree). */
async function countAttempt(eventId: string): Promise<number> {
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk: `ATTEMPT#${eventId}`, sk: fn },
      UpdateExpression: 'ADD #a :one',
      ExpressionAttributeNames: { '#a': 'attempts' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(result.Attributes?.attempts ?? 0);
}

export const handler = createConsumer(async (event) => {
  const plan = readPlan<ProbePlan>(fn) ?? {};
  // Attempts are counted only while the plan makes this consumer fail (the tests read them only
  // then): the `effects` probe sees every event of the full fault run and writes one item less.
  if (!plan.failAlways && !plan.failFirst) return applyEffect(event);
  const attempt = await countAttempt(event.meta.eventId);
  if (plan.failAlways) throw new Error(`probe ${fn} is broken (attempt ${attempt})`);
  if (plan.failFirst && attempt <= plan.failFirst) throw new Error(`probe ${fn} fails attempt ${attempt} of ${plan.failFirst}`);
  await applyEffect(event);
});

async function applyEffect(event: ConsumedEvent): Promise<void> {
  await applyOnce(event, [
    {
      Update: {
        TableName: tableName,
        Key: { pk: `EFFECT#${event.meta.eventId}`, sk: fn },
        UpdateExpression: 'ADD #effects :one SET #kind = :kind, #eventId = :eventId, #detailType = :detailType',
        ExpressionAttributeNames: { '#effects': 'effects', '#kind': 'kind', '#eventId': 'eventId', '#detailType': 'detailType' },
        ExpressionAttributeValues: { ':one': 1, ':kind': 'probe-effect', ':eventId': event.meta.eventId, ':detailType': event.detailType },
      },
    },
  ]);
}
