/**
 * A test-only consumer for the fault tests, behind the real consumer wrapper (shared/consumer.ts:
 * envelope parsed with the event's schema, Powertools idempotency on detail.meta.eventId in
 * its own table). Its effect is deliberately NOT idempotent (it adds one to a counter per
 * event id), so a second effect of one event shows up as a count of 2.
 *
 * Its plan (set by the test, per function) makes it fail: `failFirst: N` throws on the first N
 * attempts of every event, `failAlways: true` throws on every attempt (until the test fixes it).
 * Attempts are counted in the table with atomic adds, so concurrent sandboxes agree.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createConsumer } from '../../../shared/consumer.ts';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { readPlan } from './faults-inject.ts';

export interface ProbePlan {
  failFirst?: number;
  failAlways?: boolean;
}

const fn = process.env.AWS_LAMBDA_FUNCTION_NAME as string;
const tableName = process.env.TABLE_NAME as string;

async function add(pk: string, attribute: string, extra: Record<string, unknown> = {}): Promise<number> {
  const names = Object.keys(extra);
  const result = await documentClient().send(
    new UpdateCommand({
      TableName: tableName,
      Key: { pk, sk: fn },
      UpdateExpression: `ADD #a :one${names.length ? ` SET ${names.map((_, i) => `#x${i} = :x${i}`).join(', ')}` : ''}`,
      ExpressionAttributeNames: { '#a': attribute, ...Object.fromEntries(names.map((n, i) => [`#x${i}`, n])) },
      ExpressionAttributeValues: { ':one': 1, ...Object.fromEntries(names.map((n, i) => [`:x${i}`, extra[n]])) },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(result.Attributes?.[attribute] ?? 0);
}

export const handler = createConsumer(async (event) => {
  const plan = readPlan<ProbePlan>(fn) ?? {};
  const attempt = await add(`ATTEMPT#${event.meta.eventId}`, 'attempts');
  if (plan.failAlways) throw new Error(`probe ${fn} is broken (attempt ${attempt})`);
  if (plan.failFirst && attempt <= plan.failFirst) throw new Error(`probe ${fn} fails attempt ${attempt} of ${plan.failFirst}`);
  await add(`EFFECT#${event.meta.eventId}`, 'effects', { kind: 'probe-effect', eventId: event.meta.eventId, detailType: event.detailType });
});
