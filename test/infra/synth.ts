/**
 * Synthesis for the infra tests: the app's own context (cdk.json), no esbuild (bundling is
 * skipped for every stack) and no CloudFormation schema validation, so a test file builds its
 * templates quickly; `cdk synth` does both. A region is several stacks (infra/stacks.ts): the
 * helpers give each region's base template, its service templates and its API stage template.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../infra/naming.ts';
import { REGIONS, type RegionConfig } from '../../infra/regions.ts';
import { applyChecks, createRegionStacks, type RegionStacks, type RegionStacksOptions } from '../../infra/stacks.ts';

const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

/**
 * `versionReporting` adds the CDKMetadata resource the CDK CLI puts in every stack, for tests
 * that count what is deployed.
 */
export function testApp(options: { versionReporting?: boolean } = {}): App {
  return new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
    stackTraces: false,
    ...(options.versionReporting ? { analyticsReporting: true } : {}),
  });
}

/** The templates of one region's stacks. */
export interface RegionTemplates {
  readonly region: RegionConfig;
  /** The base stack `Jixiao-<code>`: alarm topic, bus, HTTP API. */
  readonly base: Template;
  /** Each service's stack `Jixiao-<code>-<service>`, by service name. */
  readonly services: ReadonlyMap<string, Template>;
  /** The API stage stack `Jixiao-<code>-api`: the `$default` stage; absent when no manifest has routes. */
  readonly api?: Template;
  /** The base template, the service templates, then the API stage template. */
  readonly all: readonly Template[];
}

export interface Synthesized {
  readonly app: App;
  /** The stacks of each region, in the order of the regions given. */
  readonly regions: readonly RegionStacks[];
  /** Every stack of every region. */
  readonly stacks: readonly Stack[];
  /** Templates by division code. */
  readonly templates: ReadonlyMap<string, RegionTemplates>;
}

/** Builds and synthesizes stacks the way `infra/app.ts` does (optionally with cdk-nag registered). */
export function synthRegions(
  options: { regions?: readonly RegionConfig[]; checks?: boolean; versionReporting?: boolean } & Omit<RegionStacksOptions, 'regions'> = {},
): Synthesized {
  const { regions = REGIONS, checks = false, versionReporting = false, ...stackOptions } = options;
  const app = testApp({ versionReporting });
  const built = createRegionStacks(app, regions, { ...stackOptions, regions });
  if (checks) applyChecks(app);
  app.synth();
  const templates = new Map(
    built.map(({ region, base, services, api }) => {
      const baseTemplate = Template.fromStack(base);
      const serviceTemplates = new Map(services.map((s) => [s.manifest.name as string, Template.fromStack(s)]));
      const apiTemplate = api ? Template.fromStack(api) : undefined;
      const all = [baseTemplate, ...serviceTemplates.values(), ...(apiTemplate ? [apiTemplate] : [])];
      return [region.code, { region, base: baseTemplate, services: serviceTemplates, ...(apiTemplate ? { api: apiTemplate } : {}), all }];
    }),
  );
  return { app, regions: built, stacks: built.flatMap((r) => r.stacks), templates };
}

export type Resource = { Type: string; Properties?: Record<string, any>; [key: string]: unknown };

export function resourcesOf(template: Template, type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

/** Logical ids a value refers to (Ref, Fn::GetAtt), wherever they are nested. */
export function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencedIds(v, into));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') into.add(v);
      else if (key === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string') into.add(v[0]);
      else referencedIds(v, into);
    }
  }
  return into;
}

/** The single logical id a value refers to. */
export function refOf(value: unknown): string {
  const ids = [...referencedIds(value)];
  if (ids.length !== 1) throw new Error(`expected one reference in ${JSON.stringify(value)}`);
  return ids[0] as string;
}

/** Lambda functions by physical name. */
export function functionsByName(template: Template): Map<string, { id: string; resource: Resource }> {
  return new Map(resourcesOf(template, 'AWS::Lambda::Function').map(([id, resource]) => [resource.Properties?.FunctionName as string, { id, resource }]));
}

/** Policy statements attached to a role (its inline-policy resources). */
export function statementsOfRole(template: Template, roleId: string): Record<string, any>[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => referencedIds(policy.Properties?.Roles).has(roleId))
    .flatMap(([, policy]) => policy.Properties?.PolicyDocument.Statement as Record<string, any>[]);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The resources of a template, by logical id. */
export function resourcesById(template: Template): Record<string, Resource> {
  return template.toJSON().Resources as Record<string, Resource>;
}

/** Every value of `Fn::ImportValue` in a template: what it takes from other stacks' exports. */
export function importedExports(template: Template): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'Fn::ImportValue') found.push(typeof v === 'string' ? v : JSON.stringify(v));
        else walk(v);
      }
    }
  };
  walk(template.toJSON());
  return found;
}
