/**
 * The stacks a region has besides its service stacks (docs/architecture.md):
 *
 * - `RegionStack`, the base stack `Jixiao-<code>`: what every service of the region shares,
 *   built from the region's configuration and the service manifests. The alarm topic, the
 *   region bus (archive, forwarding to the parent and to the children) and the HTTP API with
 *   its JWT authorizer. Each service has its own stack (service-stack.ts) that depends on this
 *   one. The service stacks address the bus and the alarm topic by their names
 *   (infra/naming.ts); the only values they import are the HTTP API's id and its authorizer's
 *   id, exported here.
 * - `ApiStageStack`, `Jixiao-<code>-api`: the HTTP API's `$default` stage (throttling, public
 *   routes apart, and access logs; constructs/http-stage.ts). It depends on every service
 *   stack, because the stage's settings for single routes may only name existing routes.
 *
 * infra/stacks.ts makes them all.
 */
import { CfnOutput, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { manifests as registeredManifests } from '../services/registry.ts';
import type { ServiceManifest } from '../shared/manifest.ts';
import { AlarmTopic } from './constructs/alarm-topic.ts';
import type { Alarms } from './constructs/alarms.ts';
import { RegionBus } from './constructs/event-bus.ts';
import { declaredRoutes, RegionHttpApi } from './constructs/http-api.ts';
import { RegionHttpStage } from './constructs/http-stage.ts';
import { httpApiIdExport, jwtAuthorizerIdExport } from './naming.ts';
import { forwardingRoutes, REGIONS, type RegionConfig } from './regions.ts';

export interface RegionStackProps extends StackProps {
  readonly region: RegionConfig;
  /** The configuration the parent and children are looked up in; defaults to REGIONS. */
  readonly regions?: readonly RegionConfig[];
  /** Defaults to every registered manifest; tests pass their own. */
  readonly manifests?: readonly ServiceManifest[];
}

export class RegionStack extends Stack {
  /** The division (Stack.region is the AWS region). */
  readonly division: RegionConfig;
  readonly bus: RegionBus;
  readonly alarmTopic: AlarmTopic;
  /** The alarms of this stack (its DLQs); each service stack has its own. */
  readonly alarms: Alarms;
  readonly httpApi?: RegionHttpApi;

  constructor(scope: Construct, id: string, props: RegionStackProps) {
    const { region, regions = REGIONS, manifests = registeredManifests, ...stackProps } = props;
    super(scope, id, {
      description: `Jixiao budget performance management: ${region.name.pinyin} (${region.code})`,
      env: { account: region.account, region: region.awsRegion },
      // The bus, its archive and the API every service stack builds on; deleting it is never routine.
      terminationProtection: true,
      ...stackProps,
    });
    this.division = region;
    Tags.of(this).add('jixiao:region', region.code);

    this.alarmTopic = new AlarmTopic(this, 'Alarms', { region });
    this.alarms = this.alarmTopic.alarms;
    this.bus = new RegionBus(this, 'Events', { region, routes: forwardingRoutes(region, regions), alarms: this.alarms });

    if (declaredRoutes(manifests).length) {
      this.httpApi = new RegionHttpApi(this, 'Http', { region, manifests });
      new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url, description: 'HTTP API base URL' });
      new CfnOutput(this, 'HttpApiId', {
        value: this.httpApi.api.apiId,
        exportName: httpApiIdExport(region.code),
        description: 'HTTP API id; the service stacks put their routes on this API',
      });
      new CfnOutput(this, 'JwtAuthorizerId', {
        value: this.httpApi.authorizer.authorizerId,
        exportName: jwtAuthorizerIdExport(region.code),
        description: 'JWT authorizer id; the service stacks put it on their auth: jwt routes',
      });
    }
    new CfnOutput(this, 'EventBusName', { value: this.bus.bus.eventBusName });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.bus.eventBusArn });
  }
}

export interface ApiStageStackProps extends StackProps {
  readonly region: RegionConfig;
  /** Every manifest of the region; defaults to every registered manifest. */
  readonly manifests?: readonly ServiceManifest[];
  /** The region's base stack, which makes and exports the API. */
  readonly base: RegionStack;
  /** Every service stack of the region: they make the routes the stage's settings name. */
  readonly services: readonly Stack[];
}

export class ApiStageStack extends Stack {
  /** The division (Stack.region is the AWS region). */
  readonly division: RegionConfig;
  readonly stage: RegionHttpStage;

  constructor(scope: Construct, id: string, props: ApiStageStackProps) {
    const { region, manifests = registeredManifests, base, services, ...stackProps } = props;
    super(scope, id, {
      description: `Jixiao budget performance management: ${region.name.pinyin} (${region.code}), HTTP API stage`,
      env: { account: region.account, region: region.awsRegion },
      // Deleting the stage takes the whole API off the air.
      terminationProtection: true,
      ...stackProps,
    });
    this.division = region;
    Tags.of(this).add('jixiao:region', region.code);
    this.addStackDependency(base, 'the stage belongs to the HTTP API of the base stack');
    for (const service of services) this.addStackDependency(service, 'the stage throttles single routes, which must exist before it names them');
    this.stage = new RegionHttpStage(this, 'Http', { region, manifests });
  }
}
