/**
 * Every service manifest, in one list. Both runtimes, the OpenAPI generator, the
 * authorization matrix and the infra tests iterate this list; adding a service means adding
 * it here.
 */
import type { ServiceManifest } from '../shared/manifest.ts';
import type { RouteSpec } from '../shared/http/route.ts';
import platform, { routeSpecs as platformRoutes } from './platform/service.ts';
import indicators, { routeSpecs as indicatorRoutes } from './indicators/service.ts';
import declaration, { routeSpecs as declarationRoutes } from './declaration/service.ts';
import monitoring, { routeSpecs as monitoringRoutes } from './monitoring/service.ts';
import evaluation, { routeSpecs as evaluationRoutes } from './evaluation/service.ts';
import accountability, { routeSpecs as accountabilityRoutes } from './accountability/service.ts';

export const manifests: readonly ServiceManifest[] = [platform, indicators, declaration, monitoring, evaluation, accountability];

/** Route specs by service, for OpenAPI and the authorization matrix. */
export const routeSpecsByService: Readonly<Record<string, readonly RouteSpec[]>> = {
  platform: platformRoutes,
  indicators: indicatorRoutes,
  declaration: declarationRoutes,
  monitoring: monitoringRoutes,
  evaluation: evaluationRoutes,
  accountability: accountabilityRoutes,
};
