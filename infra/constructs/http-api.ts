/**
 * The region's HTTP API (DESIGN.md section 5): one Lambda integration per service API function,
 * one route per manifest route, the JWT authorizer of the region's identity provider on every
 * `auth: 'jwt'` route and none on `auth: 'none'` routes, CORS for the portals, and a default
 * stage with throttling and JSON access logs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { HttpMethod } from '../../shared/manifest.ts';
import { constructId, regionResourceName } from '../naming.ts';
import type { RegionConfig } from '../regions.ts';
import { acknowledge } from './nag.ts';
import type { ServiceFunction } from './service-function.ts';

const DEFAULT_THROTTLE = { rateLimit: 100, burstLimit: 200 };

/** Request headers the portals send beyond the CORS-safelisted ones (see shared/http). */
const ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'];
/** Response headers the portals must be able to read. */
const EXPOSE_HEADERS = ['etag', 'location', 'x-correlation-id', 'idempotent-replayed'];

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

export interface RegionHttpApiProps {
  readonly region: RegionConfig;
  /** The `api` functions of all services. */
  readonly apiFunctions: readonly ServiceFunction[];
}

export class RegionHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** Route key → route, e.g. `GET /v1/health`. */
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: RegionHttpApiProps) {
    super(scope, id);
    const { region } = props;
    const methods = new Set<HttpMethod>(props.apiFunctions.flatMap((f) => (f.decl.routes ?? []).map((r) => r.method)));

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: regionResourceName(region.code, ['api'], 128),
      description: `Jixiao ${region.name.pinyin} (${region.code})`,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...region.portalOrigins],
        allowMethods: [...methods].map((m) => apigw.CorsHttpMethod[m]),
        allowHeaders: ALLOW_HEADERS,
        exposeHeaders: EXPOSE_HEADERS,
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: region.apiThrottle ?? DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });

    const jwt = new HttpJwtAuthorizer('Jwt', region.identity.issuer, {
      authorizerName: 'portal-jwt',
      jwtAudience: [...region.identity.audience],
      identitySource: ['$request.header.Authorization'],
    });

    for (const target of props.apiFunctions) {
      // One integration per function; the permission covers the whole API rather than one
      // statement per route, which would outgrow the function's resource policy.
      const integration = new HttpLambdaIntegration(target.functionId, target.fn, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
        scopePermissionToRoute: false,
      });
      for (const route of target.decl.routes ?? []) {
        const key = `${route.method} ${route.path}`;
        if (this.routes.has(key)) throw new Error(`route ${key} is declared twice (second time by ${target.functionId})`);
        const httpRoute = new apigw.HttpRoute(this, constructId(key), {
          httpApi: this.api,
          routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
          integration,
          ...(route.auth === 'jwt' ? { authorizer: jwt } : {}),
        });
        if (route.auth === 'none') {
          acknowledge(httpRoute, [
            { id: 'AwsSolutions-APIG4', reason: `${key} is public by design (manifest auth: none; health, OpenAPI or disclosed data).` },
          ]);
        }
        this.routes.set(key, httpRoute);
      }
    }
  }

  get url(): string {
    return this.api.apiEndpoint;
  }
}
