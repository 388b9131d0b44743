/**
 * The region's event bus (DESIGN.md section 7): an archive of every Jixiao event for replay;
 * for a region with a parent, a rule forwarding the events the parent needs to the parent's bus;
 * for a region whose children live in other accounts, the bus policy that lets them deliver.
 *
 * The parent bus is addressed by ARN, built from the parent's configured account and AWS region
 * with this stack's partition, because a cross-stack reference cannot cross accounts.
 * EventBridge forwards events between buses one hop only, so what Nanchang forwards to Jiangxi
 * goes no further even if Jiangxi has a parent.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { busName } from '../naming.ts';
import { FORWARDED_TO_PARENT, type RegionConfig } from '../regions.ts';
import type { Alarms } from './alarms.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';

/** Every event Jixiao services publish (`jixiao.<service>`). */
export const JIXIAO_SOURCE_PREFIX = 'jixiao.';
/** A budget year plus the following year's evaluation, so a year's events can be replayed. */
const ARCHIVE_RETENTION = Duration.days(800);

export interface RegionBusProps {
  readonly region: RegionConfig;
  readonly parent?: RegionConfig;
  readonly children: readonly RegionConfig[];
  readonly alarms: Alarms;
}

export class RegionBus extends Construct {
  readonly bus: events.EventBus;
  readonly forwardRule?: events.Rule;

  constructor(scope: Construct, id: string, props: RegionBusProps) {
    super(scope, id);
    const { region, parent } = props;
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: busName(region.code) });
    this.bus.archive('Archive', {
      archiveName: busName(region.code),
      description: `Every Jixiao event on the ${region.name.pinyin} bus`,
      eventPattern: { source: events.Match.prefix(JIXIAO_SOURCE_PREFIX) },
      retention: ARCHIVE_RETENTION,
    });

    if (parent) this.forwardRule = this.forwardToParent(region, parent, props.alarms);

    for (const child of props.children) {
      // Within one account the sender's role is enough; across accounts the bus must accept.
      if (child.account === region.account) continue;
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `AcceptFrom${child.code}`,
          principals: [new iam.AccountPrincipal(child.account)],
          actions: ['events:PutEvents'],
          resources: [this.bus.eventBusArn],
          conditions: { StringEquals: { 'events:detail-type': [...FORWARDED_TO_PARENT] } },
        }),
      );
    }
  }

  private forwardToParent(region: RegionConfig, parent: RegionConfig, alarms: Alarms): events.Rule {
    const parentBusArn = Stack.of(this).formatArn({
      service: 'events',
      account: parent.account,
      region: parent.awsRegion,
      resource: 'event-bus',
      resourceName: busName(parent.code),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const parentBus = events.EventBus.fromEventBusArn(this, 'ParentBus', parentBusArn);
    const role = new iam.Role(this, 'ForwardRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Jixiao ${region.code}: forward events to the ${parent.code} bus`,
    });
    const dlq = new DeadLetterQueue(this, 'ForwardDlq', {
      purpose: `events the ${parent.code} bus did not accept`,
      alarms,
      alarmName: `forward-to-${parent.code}`,
    });
    const rule = new events.Rule(this, 'ForwardToParent', {
      eventBus: this.bus,
      ruleName: `${busName(region.code)}-to-${parent.code}`,
      description: `Events ${parent.name.pinyin} (${parent.code}) needs from ${region.name.pinyin}`,
      eventPattern: { source: events.Match.prefix(JIXIAO_SOURCE_PREFIX), detailType: [...FORWARDED_TO_PARENT] },
    });
    // Bus targets take no retry policy: EventBridge retries them with its default (24 hours,
    // 185 attempts) and then parks the event in the DLQ.
    rule.addTarget(new targets.EventBus(parentBus, { role, deadLetterQueue: dlq.queue }));
    return rule;
  }
}
