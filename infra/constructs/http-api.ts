/**
 * The region's HTTP API (docs/architecture.md), in three parts:
 *
 * - `RegionHttpApi`, in the region's base stack: the API with CORS for the portals and the JWT
 *   authorizer of the region's identity provider. The base stack exports the ids API Gateway
 *   assigns to the API and the authorizer under names built from the division code
 *   (`httpApiIdExport`, `jwtAuthorizerIdExport`).
 * - `ServiceRoutes`, in each service's stack: one Lambda integration per API function of the
 *   service and one route per manifest route on that API (imported by the exported id), with
 *   the JWT authorizer on every `auth: 'jwt'` route and none on `auth: 'none'` routes.
 * - `RegionHttpStage` (http-stage.ts), in the region's API stage stack, deployed after the
 *   service stacks: the `$default` stage, its throttling (public routes apart) and access logs.
 *
 * The base stack sees every manifest, so it allows the methods of all routes and refuses a
 * route key that two functions declare; API Gateway would only refuse it at deployment.
 */
import { Duration, Fn } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { functionId, type HttpMethod, type ServiceManifest } from '../../shared/manifest.ts';
import { constructId, httpApiIdExport, jwtAuthorizerIdExport, regionResourceName } from '../naming.ts';
import type { RegionConfig } from '../regions.ts';
import { acknowledge } from './nag.ts';
import type { ServiceFunction } from './service-function.ts';

/** Request headers the portals send beyond the CORS-safelisted ones (see shared/http). */
const ALLOW_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-correlation-id'];
/** Response headers the portals must be able to read. */
const EXPOSE_HEADERS = ['etag', 'location', 'x-correlation-id', 'idempotent-replayed'];

/** The routes of the manifests' API functions, each with the function that serves it. */
export function declaredRoutes(manifests: readonly ServiceManifest[]) {
  return manifests.flatMap((manifest) =>
    manifest.functions.filter((decl) => decl.kind === 'api').flatMap((decl) => (decl.routes ?? []).map((route) => ({ manifest, decl, route, key: `${route.method} ${route.path}` }))),
  );
}

export interface RegionHttpApiProps {
  readonly region: RegionConfig;
  /** Every manifest of the region: the routes the service stacks will put on the API. */
  readonly manifests: readonly ServiceManifest[];
}

export class RegionHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly authorizer: apigw.HttpAuthorizer;

  constructor(scope: Construct, id: string, props: RegionHttpApiProps) {
    super(scope, id);
    const { region } = props;
    const routes = declaredRoutes(props.manifests);
    const seen = new Set<string>();
    for (const { manifest, decl, key } of routes) {
      if (seen.has(key)) throw new Error(`route ${key} is declared twice (second time by ${functionId(manifest.name, decl.name)})`);
      seen.add(key);
    }
    const methods = new Set<HttpMethod>(routes.map(({ route }) => route.method));

    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: regionResourceName(region.code, ['api'], 128),
      description: `Jixiao ${region.name.pinyin} (${region.code})`,
      // The stage is in the API stage stack (http-stage.ts), after the routes it throttles.
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...region.portalOrigins],
        allowMethods: [...methods].map((m) => apigw.CorsHttpMethod[m]),
        allowHeaders: ALLOW_HEADERS,
        exposeHeaders: EXPOSE_HEADERS,
        maxAge: Duration.hours(1),
      },
    });

    this.authorizer = new apigw.HttpAuthorizer(this, 'Jwt', {
      httpApi: this.api,
      type: apigw.HttpAuthorizerType.JWT,
      authorizerName: 'portal-jwt',
      identitySource: ['$request.header.Authorization'],
      jwtIssuer: region.identity.issuer,
      jwtAudience: [...region.identity.audience],
    });
  }

  /** The `$default` stage serves at the API's endpoint itself. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}

export interface ServiceRoutesProps {
  readonly regionCode: string;
  /** The service's `api` functions. */
  readonly apiFunctions: readonly ServiceFunction[];
}

export class ServiceRoutes extends Construct {
  /** Route key → route, e.g. `GET /v1/health`. */
  readonly routes = new Map<string, apigw.HttpRoute>();

  constructor(scope: Construct, id: string, props: ServiceRoutesProps) {
    super(scope, id);
    const api = apigw.HttpApi.fromHttpApiAttributes(this, 'Api', { httpApiId: Fn.importValue(httpApiIdExport(props.regionCode)) });
    const jwt = apigw.HttpAuthorizer.fromHttpAuthorizerAttributes(this, 'Jwt', {
      authorizerId: Fn.importValue(jwtAuthorizerIdExport(props.regionCode)),
      authorizerType: apigw.HttpAuthorizerType.JWT,
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
          httpApi: api,
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
}
