/**
 * Functions the bus or a schedule invokes: one events rule per manifest subscription (on the
 * region bus) or schedule (on the default bus, where EventBridge runs schedules), each target
 * with a retry policy and its own dead-letter queue.
 *
 * Two failure paths exist and both are covered. EventBridge's retry policy and DLQ cover
 * *delivery* (the asynchronous Invoke call failing or being throttled). Once Lambda accepts
 * the event, a handler error is retried by Lambda's asynchronous invocation (at most twice) and
 * then sent to the function's on-failure destination queue.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { EventPattern } from '../../shared/event-pattern.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { constructId, regionResourceName } from '../naming.ts';
import type { Alarms } from './alarms.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import type { ServiceFunction } from './service-function.ts';

/**
 * Where the manifest says nothing, EventBridge's own defaults (185 retries, 24 hours), which
 * the local bus (infra/local/eventbridge/bus.ts) applies too.
 */
export const DEFAULT_MAX_ATTEMPTS = 186;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 24 * 3600;
/** Lambda's limits for asynchronous invocation retries and event age. */
const LAMBDA_ASYNC_MAX_RETRIES = 2;
const LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS = 6 * 3600;
/** EventBridge's limits for a target's maximum event age. */
const MIN_EVENT_AGE_SECONDS = 60;
const MAX_EVENT_AGE_SECONDS = 24 * 3600;

export interface EventTargetContext {
  readonly regionCode: string;
  readonly manifest: ServiceManifest;
  readonly bus: events.IEventBus;
  readonly alarms: Alarms;
}

/**
 * The manifest pattern as CDK's EventPattern. CDK renders its `detailType` key back to
 * `detail-type` and passes every other key and all values through unchanged, so the rule
 * carries exactly the pattern the local runtime matches.
 */
export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) out[key === 'detail-type' ? 'detailType' : key] = value;
  return out as events.EventPattern;
}

/** `maxAttempts` counts deliveries; EventBridge counts retries after the first. */
export function retryAttemptsFor(maxAttempts: number | undefined): number {
  const attempts = maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 186) throw new Error(`maxAttempts ${attempts} is outside 1..186`);
  return attempts - 1;
}

function maxEventAge(seconds: number | undefined): Duration {
  const age = seconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS;
  if (age < MIN_EVENT_AGE_SECONDS || age > MAX_EVENT_AGE_SECONDS) {
    throw new Error(`maxEventAgeSeconds ${age} is outside ${MIN_EVENT_AGE_SECONDS}..${MAX_EVENT_AGE_SECONDS}`);
  }
  return Duration.seconds(age);
}

/** Lambda-side retries and the on-failure destination for an asynchronously invoked function. */
function configureAsyncFailures(target: ServiceFunction, ctx: EventTargetContext, maxAttempts: number, maxAgeSeconds: number): void {
  const failures = new DeadLetterQueue(target, 'FailuresDlq', {
    purpose: `invocations of ${target.functionId} that failed after their retries`,
    alarms: ctx.alarms,
    alarmName: `${target.functionId}-failures`,
  });
  target.fn.configureAsyncInvoke({
    retryAttempts: Math.min(LAMBDA_ASYNC_MAX_RETRIES, maxAttempts - 1),
    maxEventAge: Duration.seconds(Math.min(LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS, maxAgeSeconds)),
    onFailure: new SqsDestination(failures.queue),
  });
}

function lambdaTarget(target: ServiceFunction, ctx: EventTargetContext, name: string, maxAttempts: number | undefined, maxAgeSeconds: number | undefined) {
  const dlq = new DeadLetterQueue(target, `${constructId(name)}-Dlq`, {
    purpose: `events rule ${name} could not deliver to ${target.functionId}`,
    alarms: ctx.alarms,
    alarmName: `${target.functionId}-${constructId(name)}`,
  });
  return new targets.LambdaFunction(target.fn, {
    retryAttempts: retryAttemptsFor(maxAttempts),
    maxEventAge: maxEventAge(maxAgeSeconds),
    deadLetterQueue: dlq.queue,
  });
}

/** One rule on the region bus per subscription of a consumer function. */
export function subscribe(target: ServiceFunction, ctx: EventTargetContext): void {
  const subscriptions = target.decl.subscriptions ?? [];
  for (const sub of subscriptions) {
    const rule = new events.Rule(target, constructId(sub.name), {
      eventBus: ctx.bus,
      ruleName: regionResourceName(ctx.regionCode, [ctx.manifest.name, sub.name]),
      description: `${target.functionId} subscription ${sub.name}`,
      eventPattern: toCdkEventPattern(sub.pattern),
    });
    rule.addTarget(lambdaTarget(target, ctx, sub.name, sub.maxAttempts, sub.maxEventAgeSeconds));
  }
  const attempts = Math.max(...subscriptions.map((s) => s.maxAttempts ?? DEFAULT_MAX_ATTEMPTS));
  const age = Math.max(...subscriptions.map((s) => s.maxEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS));
  configureAsyncFailures(target, ctx, attempts, age);
}

/** One scheduled rule per manifest schedule of a scheduled function. */
export function schedule(target: ServiceFunction, ctx: EventTargetContext): void {
  for (const s of target.decl.schedules ?? []) {
    const rule = new events.Rule(target, constructId(s.name), {
      // Schedules run on the default bus; no eventBus here.
      ruleName: regionResourceName(ctx.regionCode, [ctx.manifest.name, s.name]),
      description: `${target.functionId} schedule ${s.name}: ${s.expression}`,
      schedule: events.Schedule.expression(s.expression),
    });
    rule.addTarget(lambdaTarget(target, ctx, s.name, undefined, undefined));
  }
  configureAsyncFailures(target, ctx, DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_EVENT_AGE_SECONDS);
}
