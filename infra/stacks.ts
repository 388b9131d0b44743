/**
 * Turning the `region` context into stacks, and the compliance checks every synthesis runs.
 * Kept apart from `app.ts` (which synthesizes on import) so the infra tests build exactly what
 * `cdk synth` builds.
 *
 * A region is deployed as several stacks: its base stack `Jixiao-<code>` (region-stack.ts),
 * one stack per service manifest, `Jixiao-<code>-<service>` (service-stack.ts), each depending
 * on the base, and, if any manifest has routes, the API stage stack `Jixiao-<code>-api`
 * (region-stack.ts), depending on all of them. `cdk deploy -c region=<code> --all` deploys them
 * in that order.
 */
import { Validations, type App, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { manifests as registeredManifests } from '../services/registry.ts';
import type { ServiceManifest } from '../shared/manifest.ts';
import { declaredRoutes } from './constructs/http-api.ts';
import { apiStageStackId, serviceStackId, stackId } from './naming.ts';
import { ApiStageStack, RegionStack } from './region-stack.ts';
import { REGIONS, UnknownRegionError, regionCodes, regionConfig, validateRegions, type RegionConfig } from './regions.ts';
import { ServiceStack } from './service-stack.ts';

/** Context key selecting the region: `cdk synth -c region=360100`, or `-c region=all`. */
export const REGION_CONTEXT = 'region';
export const ALL_REGIONS = 'all';

/** The regions a context value selects; a missing or unknown value names the known ones. */
export function selectRegions(selection: unknown, regions: readonly RegionConfig[] = REGIONS): RegionConfig[] {
  const known = `known regions: ${regionCodes(regions).join(', ')} (or ${ALL_REGIONS})`;
  if (selection === undefined || selection === '') {
    throw new UnknownRegionError(`choose a region with -c ${REGION_CONTEXT}=<division code>; ${known}`);
  }
  if (selection === ALL_REGIONS) return [...regions];
  return String(selection)
    .split(',')
    .map((code) => regionConfig(code.trim(), regions));
}

export interface RegionStacksOptions {
  /** The configuration the parent and children are looked up in; defaults to REGIONS. */
  readonly regions?: readonly RegionConfig[];
  /** Defaults to every registered manifest; tests pass their own. */
  readonly manifests?: readonly ServiceManifest[];
  /** Where manifest entry paths are resolved; defaults to the repository root. */
  readonly repoRoot?: string;
}

/** The stacks of one region. */
export interface RegionStacks {
  readonly region: RegionConfig;
  readonly base: RegionStack;
  /** One per manifest, in manifest order. */
  readonly services: readonly ServiceStack[];
  /** The HTTP API's stage, after every service stack; absent when no manifest has routes. */
  readonly api?: ApiStageStack;
  /** The base stack, then the service stacks, then the API stage stack. */
  readonly stacks: readonly Stack[];
}

export function createRegionStacks(app: App, selected: readonly RegionConfig[], options: RegionStacksOptions = {}): RegionStacks[] {
  const { regions = REGIONS, manifests = registeredManifests, repoRoot } = options;
  validateRegions(regions);
  return selected.map((region) => {
    const base = new RegionStack(app, stackId(region.code), { region, regions, manifests });
    const services = manifests.map(
      (manifest) => new ServiceStack(app, serviceStackId(region.code, manifest.name), { region, manifest, base, ...(repoRoot ? { repoRoot } : {}) }),
    );
    if (!declaredRoutes(manifests).length) return { region, base, services, stacks: [base, ...services] };
    const api = new ApiStageStack(app, apiStageStackId(region.code), { region, manifests, base, services });
    return { region, base, services, api, stacks: [base, ...services, api] };
  });
}

/** The cdk-nag packs every synthesis runs. */
export function nagPacks(scope?: IConstruct): [AwsSolutionsChecks, ServerlessChecks] {
  return [new AwsSolutionsChecks(scope, { verbose: true }), new ServerlessChecks(scope, { verbose: true })];
}

/**
 * Registers cdk-nag's AwsSolutions and Serverless packs as validation plugins: synthesis
 * fails on an unacknowledged error and reports warnings (cdk.out/validation report).
 */
export function applyChecks(app: App): void {
  Validations.of(app).addPlugins(...nagPacks(app));
}
