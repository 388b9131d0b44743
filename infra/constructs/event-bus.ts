/**
 * The region's event bus (docs/architecture.md), in the region's base stack: an archive of
 * every Jixiao event for replay, and the forwarding rules of `forwardingRoutes`
 * (infra/regions.ts), which the local runtime builds its forwarding from too:
 *
 * - upward: for a region with a parent, the events the parent needs (FORWARDED_TO_PARENT) go
 *   to the parent's bus;
 * - downward: for each child, the indicator library's events (FORWARDED_TO_CHILDREN from
 *   `jixiao.indicators`) go to the child's bus, so cities and counties see their province's
 *   library.
 *
 * Each forwarding target is another region's bus addressed by ARN, built from that region's
 * configured account and AWS region with this stack's partition, because a cross-stack
 * reference cannot cross accounts; each has its own role (PutEvents on that one bus) and DLQ.
 * A bus whose neighbours live in other accounts gets a policy accepting exactly what they
 * forward. EventBridge forwards events between buses one hop only: what Nanchang forwards to
 * Jiangxi goes no further, and a county gets Jiangxi's library from its city's indicators
 * service, which re-publishes what it inherits.
 */
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { busName } from '../naming.ts';
import {
  FORWARDED_TO_CHILDREN,
  FORWARDED_TO_CHILDREN_SOURCE,
  FORWARDED_TO_PARENT,
  JIXIAO_SOURCE_PREFIX,
  type ForwardingRoute,
  type RegionConfig,
} from '../regions.ts';
import type { Alarms } from './alarms.ts';
import { DeadLetterQueue } from './dead-letter-queue.ts';
import { toCdkEventPattern } from './event-targets.ts';

/** Every event Jixiao services publish (`jixiao.<service>`). */
export { JIXIAO_SOURCE_PREFIX };
/** A budget year plus the following year's evaluation, so a year's events can be replayed. */
const ARCHIVE_RETENTION = Duration.days(800);

export interface RegionBusProps {
  readonly region: RegionConfig;
  /** The region's forwarding rules: `forwardingRoutes(region, regions)`. */
  readonly routes: readonly ForwardingRoute[];
  readonly alarms: Alarms;
}

/** What a neighbour region forwards to this bus, as bus-policy conditions. */
function acceptedFrom(route: ForwardingRoute): Record<string, string | string[]> {
  // The parent forwards the library down to us; a child forwards its results up to us.
  return route.direction === 'to-parent'
    ? { 'events:source': FORWARDED_TO_CHILDREN_SOURCE, 'events:detail-type': [...FORWARDED_TO_CHILDREN] }
    : { 'events:detail-type': [...FORWARDED_TO_PARENT] };
}

export class RegionBus extends Construct {
  readonly bus: events.EventBus;
  /** The rule forwarding to the parent's bus, for a region with a parent. */
  readonly forwardRule?: events.Rule;
  /** The rules forwarding the library to each child's bus, by the child's division code. */
  readonly childForwardRules: ReadonlyMap<string, events.Rule>;
  private readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: RegionBusProps) {
    super(scope, id);
    this.alarms = props.alarms;
    const { region } = props;
    this.bus = new events.EventBus(this, 'Bus', { eventBusName: busName(region.code) });
    this.bus.archive('Archive', {
      archiveName: busName(region.code),
      description: `Every Jixiao event on the ${region.name.pinyin} bus`,
      eventPattern: { source: events.Match.prefix(JIXIAO_SOURCE_PREFIX) },
      retention: ARCHIVE_RETENTION,
    });

    const childRules = new Map<string, events.Rule>();
    for (const route of props.routes) {
      const { to } = route;
      if (route.direction === 'to-parent') {
        // Construct ids of the upward rule predate the downward ones; kept so deployed resources stay.
        this.forwardRule = this.forwardTo(this, route, {
          ids: { bus: 'ParentBus', role: 'ForwardRole', dlq: 'ForwardDlq', rule: 'ForwardToParent' },
          description: `Events ${to.name.pinyin} (${to.code}) needs from ${region.name.pinyin}`,
        });
      } else {
        const rule = this.forwardTo(new Construct(this, `ToChild${to.code}`), route, {
          ids: { bus: 'ChildBus', role: 'ForwardRole', dlq: 'ForwardDlq', rule: 'Forward' },
          description: `Indicator library of ${region.name.pinyin} for ${to.name.pinyin} (${to.code})`,
        });
        childRules.set(to.code, rule);
      }
      // Within one account the sender's role is enough; across accounts the bus must accept.
      if (to.account !== region.account) this.accept(to, acceptedFrom(route));
    }
    this.childForwardRules = childRules;
  }

  /** A bus-policy statement letting a neighbour region's account put what it forwards here. */
  private accept(from: RegionConfig, conditions: Record<string, string | string[]>): void {
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `AcceptFrom${from.code}`,
        principals: [new iam.AccountPrincipal(from.account)],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: { StringEquals: conditions },
      }),
    );
  }

  private forwardTo(scope: Construct, route: ForwardingRoute, options: { ids: { bus: string; role: string; dlq: string; rule: string }; description: string }): events.Rule {
    const { ids } = options;
    const { from: region, to } = route;
    const toBusArn = Stack.of(this).formatArn({
      service: 'events',
      account: to.account,
      region: to.awsRegion,
      resource: 'event-bus',
      resourceName: busName(to.code),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const toBus = events.EventBus.fromEventBusArn(scope, ids.bus, toBusArn);
    const role = new iam.Role(scope, ids.role, {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `Jixiao ${region.code}: forward events to the ${to.code} bus`,
    });
    const dlq = new DeadLetterQueue(scope, ids.dlq, {
      purpose: `events the ${to.code} bus did not accept`,
      alarms: this.alarms,
      alarmName: `forward-to-${to.code}`,
    });
    const rule = new events.Rule(scope, ids.rule, {
      eventBus: this.bus,
      ruleName: `${busName(region.code)}-to-${to.code}`,
      description: options.description,
      eventPattern: toCdkEventPattern(route.pattern),
    });
    // Bus targets take no retry policy: EventBridge retries them with its default (24 hours,
    // 185 attempts) and then parks the event in the DLQ.
    rule.addTarget(new targets.EventBus(toBus, { role, deadLetterQueue: dlq.queue }));
    return rule;
  }
}
