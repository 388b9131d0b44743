/**
 * Synthesis for the infra tests: the app's own context (cdk.json), no esbuild (bundling is
 * skipped for every stack) and no CloudFormation schema validation, so a test file builds its
 * templates in well under a second; `cdk synth` does both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../infra/naming.ts';
import type { RegionStack, RegionStackProps } from '../../infra/region-stack.ts';
import { REGIONS, type RegionConfig } from '../../infra/regions.ts';
import { applyChecks, createRegionStacks } from '../../infra/stacks.ts';

const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };

export function testApp(): App {
  return new App({
    context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] },
    builtinCloudFormationValidation: false,
    stackTraces: false,
  });
}

export interface Synthesized {
  readonly app: App;
  readonly stacks: readonly RegionStack[];
  /** Template by division code. */
  readonly templates: ReadonlyMap<string, Template>;
}

/** Builds and synthesizes stacks the way `infra/app.ts` does (optionally with cdk-nag registered). */
export function synthRegions(
  options: { regions?: readonly RegionConfig[]; checks?: boolean } & Omit<RegionStackProps, 'region' | 'regions'> = {},
): Synthesized {
  const { regions = REGIONS, checks = false, ...stackOptions } = options;
  const app = testApp();
  const stacks = createRegionStacks(app, regions, { ...stackOptions, regions });
  if (checks) applyChecks(app);
  app.synth();
  return { app, stacks, templates: new Map(stacks.map((s) => [s.division.code, Template.fromStack(s)])) };
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
