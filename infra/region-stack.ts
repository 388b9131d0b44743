/**
 * One region's stack (DESIGN.md sections 2 and 7), built only from the service manifests and
 * the region's configuration: the alarm topic, the region bus (archive, forwarding to the
 * parent and to the children), each service's table and functions, and the HTTP API over all
 * API functions.
 */
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { manifests as registeredManifests } from '../services/registry.ts';
import type { ServiceManifest } from '../shared/manifest.ts';
import { Alarms } from './constructs/alarms.ts';
import { RegionBus } from './constructs/event-bus.ts';
import { RegionHttpApi } from './constructs/http-api.ts';
import { Service } from './constructs/service.ts';
import { REPO_ROOT } from './naming.ts';
import { forwardingRoutes, REGIONS, type RegionConfig } from './regions.ts';

export interface RegionStackProps extends StackProps {
  readonly region: RegionConfig;
  /** The configuration the parent and children are looked up in; defaults to REGIONS. */
  readonly regions?: readonly RegionConfig[];
  /** Defaults to every registered manifest; tests pass their own. */
  readonly manifests?: readonly ServiceManifest[];
  /** Where manifest entry paths are resolved; defaults to the repository root. */
  readonly repoRoot?: string;
}

export class RegionStack extends Stack {
  /** The division (Stack.region is the AWS region). */
  readonly division: RegionConfig;
  readonly bus: RegionBus;
  readonly alarms: Alarms;
  readonly services: readonly Service[];
  readonly httpApi?: RegionHttpApi;

  constructor(scope: Construct, id: string, props: RegionStackProps) {
    const { region, regions = REGIONS, manifests = registeredManifests, repoRoot = REPO_ROOT, ...stackProps } = props;
    super(scope, id, {
      description: `Jixiao budget performance management: ${region.name.pinyin} (${region.code})`,
      env: { account: region.account, region: region.awsRegion },
      // The stack holds retained tables of record; deleting it is never routine.
      terminationProtection: true,
      ...stackProps,
    });
    this.division = region;
    Tags.of(this).add('jixiao:region', region.code);

    this.alarms = new Alarms(this, 'Alarms', { region });
    this.bus = new RegionBus(this, 'Events', { region, routes: forwardingRoutes(region, regions), alarms: this.alarms });

    this.services = manifests.map(
      (manifest) =>
        new Service(this, manifest.name, {
          region,
          manifest,
          bus: this.bus.bus,
          alarms: this.alarms,
          repoRoot,
        }),
    );

    const apiFunctions = this.services.flatMap((s) => s.functions.filter((f) => f.decl.kind === 'api'));
    if (apiFunctions.length) {
      this.httpApi = new RegionHttpApi(this, 'Http', { region, apiFunctions });
      new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'HTTP API base URL' });
    }
    new CfnOutput(this, 'EventBusName', { value: this.bus.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.bus.eventBusArn });
  }
}
