/**
 * One service of a region in its own stack, `Jixiao-<code>-<service>`, built from its manifest
 * alone: the service's table, functions, HTTP routes on the region's API, rules with their
 * dead-letter queues, relay mapping, notification topics, and the alarms on all of them.
 * A stack per service keeps every stack far below CloudFormation's 500 resources as services
 * and routes are added, and lets a service be deployed without touching the others.
 *
 * What the service uses of the region's base stack (region-stack.ts) it addresses by name:
 * the bus (`busName`) and the alarm topic (`alarmTopicName`). Only the HTTP API's id and its
 * JWT authorizer's id, which API Gateway assigns, are imported (exports of the base stack).
 * The stack depends on the base stack, so deploying it deploys the base first.
 */
import { Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { ServiceManifest } from '../shared/manifest.ts';
import { Alarms, regionAlarmTopic } from './constructs/alarms.ts';
import { Service } from './constructs/service.ts';
import { busName, REPO_ROOT } from './naming.ts';
import type { RegionStack } from './region-stack.ts';
import type { RegionConfig } from './regions.ts';

export interface ServiceStackProps extends StackProps {
  readonly region: RegionConfig;
  readonly manifest: ServiceManifest;
  /** The region's base stack: deployed before this one. Nothing of it is referenced directly. */
  readonly base: RegionStack;
  /** Where manifest entry paths are resolved; defaults to the repository root. */
  readonly repoRoot?: string;
}

export class ServiceStack extends Stack {
  /** The division (Stack.region is the AWS region). */
  readonly division: RegionConfig;
  readonly manifest: ServiceManifest;
  readonly service: Service;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    const { region, manifest, base, repoRoot = REPO_ROOT, ...stackProps } = props;
    super(scope, id, {
      description: `Jixiao budget performance management: ${region.name.pinyin} (${region.code}), ${manifest.name} service`,
      env: { account: region.account, region: region.awsRegion },
      // The stack holds a retained table of record; deleting it is never routine.
      terminationProtection: true,
      ...stackProps,
    });
    this.division = region;
    this.manifest = manifest;
    Tags.of(this).add('jixiao:region', region.code);
    Tags.of(this).add('jixiao:service', manifest.name);
    this.addStackDependency(base, 'the service uses the region bus, the alarm topic and the HTTP API of the base stack');

    this.alarms = new Alarms(this, 'Alarms', { regionCode: region.code, topic: regionAlarmTopic(this, 'AlarmTopic', region.code) });
    const bus = events.EventBus.fromEventBusName(this, 'Bus', busName(region.code));
    this.service = new Service(this, manifest.name, { region, manifest, bus, alarms: this.alarms, repoRoot });
  }
}
