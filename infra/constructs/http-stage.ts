/**
 * The `$default` stage of the region's HTTP API, in the region's API stage stack
 * (`Jixiao-<code>-api`): auto-deployed, one JSON access log line per request, and throttling
 * per route, with the public routes (manifest `auth: 'none'`) apart from the authenticated ones.
 *
 * API Gateway applies a stage's default route settings to each route on its own; the
 * authenticated routes keep them (`apiThrottle`), and each public route gets its own, lower
 * limits (`publicThrottle`, infra/regions.ts says why) in the stage's route settings. Route
 * settings may only name routes that exist, and the routes are made by the service stacks, so
 * this stage lives in a stack deployed after all of them (infra/stacks.ts). The API is imported
 * by the id the base stack exports, as the service stacks do.
 */
import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { httpApiIdExport } from '../naming.ts';
import { apiThrottleOf, publicThrottleOf, type RegionConfig, type Throttle } from '../regions.ts';
import { declaredRoutes } from './http-api.ts';

/** HTTP API context variables, one JSON object per request. */
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
});

/** The route keys of the manifests' public routes (`auth: 'none'`), e.g. `GET /v1/health`. */
export function publicRouteKeys(manifests: readonly ServiceManifest[]): string[] {
  return declaredRoutes(manifests)
    .filter(({ route }) => route.auth === 'none')
    .map(({ key }) => key);
}

/** The stage's route settings: the public throttle for each public route, nothing else. */
function publicRouteSettings(keys: readonly string[], throttle: Throttle): Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> {
  return Object.fromEntries(keys.map((key) => [key, { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit }]));
}

export interface RegionHttpStageProps {
  readonly region: RegionConfig;
  /** Every manifest of the region: their public routes get the public throttle. */
  readonly manifests: readonly ServiceManifest[];
}

export class RegionHttpStage extends Construct {
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: RegionHttpStageProps) {
    super(scope, id);
    const { region } = props;
    const api = apigw.HttpApi.fromHttpApiAttributes(this, 'Api', { httpApiId: Fn.importValue(httpApiIdExport(region.code)) });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Auto-deploy publishes the routes the service stacks add to the API.
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: apiThrottleOf(region),
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    const keys = publicRouteKeys(props.manifests);
    // HttpStage has no property for single routes' settings; the CloudFormation stage has.
    if (keys.length) (this.stage.node.defaultChild as apigw.CfnStage).routeSettings = publicRouteSettings(keys, publicThrottleOf(region));
  }
}
