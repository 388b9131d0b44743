/**
 * Turning the `region` context into stacks, and the compliance checks every synthesis runs.
 * Kept apart from `app.ts` (which synthesizes on import) so the infra tests build exactly what
 * `cdk synth` builds.
 */
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { stackId } from './naming.ts';
import { RegionStack, type RegionStackProps } from './region-stack.ts';
import { REGIONS, UnknownRegionError, regionCodes, regionConfig, validateRegions, type RegionConfig } from './regions.ts';

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

export function createRegionStacks(
  app: App,
  selected: readonly RegionConfig[],
  options: Omit<RegionStackProps, 'region'> = {},
): RegionStack[] {
  validateRegions(options.regions ?? REGIONS);
  return selected.map((region) => new RegionStack(app, stackId(region.code), { ...options, region }));
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
