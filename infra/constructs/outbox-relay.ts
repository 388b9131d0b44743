/**
 * The outbox relay's wiring (docs/architecture.md): the service table's stream, filtered to
 * inserted outbox items with the same OUTBOX_STREAM_FILTER the local poller uses, into the relay
 * function; and the one permission that lets it publish: PutEvents on the region bus, only
 * under its own service's sources (business and work) and only the detail-types its manifest publishes.
 */
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { eventSource, workEventSource } from '../../events/sources.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/outbox.ts';
import type { Alarms } from './alarms.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ServiceFunction } from './service-function.ts';

/** Records per invocation; the relay sends them in PutEvents calls of 10. */
export const RELAY_BATCH_SIZE = 100;
/**
 * Stream-level retries of a failing batch. Each retry is itself a burst of PutEvents attempts
 * with back-off inside the relay, so a record still failing after these is poison (for example
 * a detail-type the relay may not publish); it must not hold up the shard. Its position goes to
 * the on-failure queue, and the outbox item stays in the table (OUTBOX_RETENTION_DAYS) to redrive.
 */
export const RELAY_STREAM_RETRIES = 20;

export interface RelayContext {
  readonly manifest: ServiceManifest;
  readonly table: dynamodb.TableV2;
  readonly bus: events.IEventBus;
  readonly alarms: Alarms;
}

export function relayOutbox(target: ServiceFunction, ctx: RelayContext): void {
  const failures = new DeadLetterQueue(target, 'StreamDlq', {
    purpose: `stream records ${target.functionId} could not publish`,
    alarms: ctx.alarms,
    alarmName: `${target.functionId}-stream`,
  });
  target.fn.addEventSource(
    new DynamoEventSource(ctx.table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: RELAY_BATCH_SIZE,
      // Short: events should reach the bus within about a second of their commit.
      maxBatchingWindow: Duration.seconds(1),
      // One batch per shard at a time keeps each object's events in commit order.
      parallelizationFactor: 1,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: RELAY_STREAM_RETRIES,
      onFailure: new SqsDlq(failures.queue),
      filters: [lambda.FilterCriteria.filter(OUTBOX_STREAM_FILTER)],
    }),
  );

  // Its business source and its work source (internal work items, events/sources.ts), nothing else.
  const conditions: Record<string, string | string[]> = { 'events:source': [eventSource(ctx.manifest.name), workEventSource(ctx.manifest.name)] };
  if (ctx.manifest.publishes.length) conditions['events:detail-type'] = [...ctx.manifest.publishes];
  target.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PublishOwnEvents',
      actions: ['events:PutEvents'],
      resources: [ctx.bus.eventBusArn],
      conditions: { StringEquals: conditions },
    }),
  );
  ctx.alarms.onIteratorAge(target.fn, target.functionId);
}
