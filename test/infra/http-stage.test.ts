/**
 * Public routes throttled apart from the authenticated API (infra/constructs/http-stage.ts): the
 * `$default` stage, in each region's API stage stack, gives every `auth: 'none'` route of the
 * manifests the region's public throttle in its route settings and leaves every authenticated
 * route to the stage default; the stack is deployed after every service stack, which make the
 * routes those settings name. Route keys are computed from the manifests here, not listed.
 */
import { describe, expect, it } from 'vitest';
import { apiStageStackId } from '../../infra/naming.ts';
import { REGIONS, apiThrottleOf, publicThrottleOf, regionConfig, type RegionConfig } from '../../infra/regions.ts';
import { manifests } from '../../services/registry.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { resourcesOf, synthRegions } from './synth.ts';

const { regions: built, templates } = synthRegions();

const routeKeys = (list: readonly ServiceManifest[], auth: 'jwt' | 'none') =>
  list.flatMap((m) => m.functions.flatMap((f) => (f.routes ?? []).filter((r) => r.auth === auth).map((r) => `${r.method} ${r.path}`)));

function stageOf(code: string): Record<string, any> {
  const stages = resourcesOf(templates.get(code)!.api!, 'AWS::ApiGatewayV2::Stage');
  expect(stages).toHaveLength(1);
  return stages[0]![1].Properties!;
}

const limits = (throttle: { rateLimit: number; burstLimit: number }) => ({ ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit });

describe('public routes throttled apart', () => {
  it('gives every public route of the manifests the region’s public throttle in the stage’s route settings', () => {
    const publicKeys = routeKeys(manifests, 'none');
    expect(publicKeys.length).toBeGreaterThan(0);
    for (const region of REGIONS) {
      const settings = stageOf(region.code).RouteSettings as Record<string, unknown>;
      expect(Object.keys(settings).sort(), region.code).toEqual([...publicKeys].sort());
      for (const key of publicKeys) expect(settings[key], `${region.code} ${key}`).toEqual(limits(publicThrottleOf(region)));
    }
  });

  it('leaves every authenticated route to the stage default, the region’s API throttle', () => {
    const authenticated = routeKeys(manifests, 'jwt');
    expect(authenticated.length).toBeGreaterThan(0);
    for (const region of REGIONS) {
      const stage = stageOf(region.code);
      expect(authenticated.filter((key) => key in stage.RouteSettings), region.code).toEqual([]);
      expect(stage.DefaultRouteSettings, region.code).toEqual(limits(apiThrottleOf(region)));
    }
  });

  it('throttles each public route below an authenticated one in every configured region', () => {
    for (const region of REGIONS) {
      expect(publicThrottleOf(region).rateLimit, region.code).toBeLessThan(apiThrottleOf(region).rateLimit);
      expect(publicThrottleOf(region).burstLimit, region.code).toBeLessThan(apiThrottleOf(region).burstLimit);
    }
  });

  it('deploys the stage stack after the base stack and every service stack of its region', () => {
    for (const { region, base, services, api, stacks } of built) {
      expect(api?.stackName).toBe(apiStageStackId(region.code));
      expect(new Set(api!.dependencies)).toEqual(new Set([base, ...services]));
      expect(stacks.at(-1)).toBe(api);
    }
  });

  it('takes the throttles from the region’s configuration', () => {
    const region: RegionConfig = { ...regionConfig('360000'), apiThrottle: { rateLimit: 50, burstLimit: 80 }, publicThrottle: { rateLimit: 5, burstLimit: 10 } };
    const stage = resourcesOf(synthRegions({ regions: [region] }).templates.get(region.code)!.api!, 'AWS::ApiGatewayV2::Stage')[0]![1].Properties!;
    expect(stage.DefaultRouteSettings).toEqual(limits({ rateLimit: 50, burstLimit: 80 }));
    expect(new Set(Object.values(stage.RouteSettings).map((s) => JSON.stringify(s)))).toEqual(new Set([JSON.stringify(limits({ rateLimit: 5, burstLimit: 10 }))]));
  });

  it('makes no stage stack for a region whose manifests have no routes', () => {
    // The registered services without their API functions.
    const routeless = manifests.map((m) => ({ ...m, functions: m.functions.filter((f) => f.kind !== 'api') }));
    expect(routeless.some((m) => m.functions.length)).toBe(true);
    const [only] = synthRegions({ regions: [REGIONS[0]!], manifests: routeless }).regions;
    expect(only!.api).toBeUndefined();
    expect(only!.stacks).toEqual([only!.base, ...only!.services]);
  });
});
