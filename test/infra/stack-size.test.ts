/**
 * CloudFormation refuses a stack of more than 500 resources. A region is split into a base
 * stack and a stack per service (infra/stacks.ts) so that none comes near it; this test keeps
 * every stack of Jiangxi (360000) and of every other configured region at 400 or fewer, leaving
 * room for the next routes and subscriptions before a service has to be split again.
 */
import { describe, expect, it } from 'vitest';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REGIONS } from '../../infra/regions.ts';
import { synthRegions } from './synth.ts';

const MAX_RESOURCES = 400;

// With the CDKMetadata resource `cdk deploy` adds, so the count is what CloudFormation gets.
const { regions, stacks } = synthRegions({ versionReporting: true });

function resourceCount(stack: Stack): number {
  return Object.keys(Template.fromStack(stack).toJSON().Resources ?? {}).length;
}

describe('stack size', () => {
  it('synthesizes Jiangxi (360000) and every other configured region', () => {
    expect(regions.map((r) => r.region.code)).toContain('360000');
    expect(regions.map((r) => r.region.code)).toEqual(REGIONS.map((r) => r.code));
  });

  it(`keeps every stack of every region at ${MAX_RESOURCES} resources or fewer`, () => {
    const tooLarge = stacks.map((stack) => ({ stack: stack.stackName, resources: resourceCount(stack) })).filter((s) => s.resources > MAX_RESOURCES);
    expect(tooLarge).toEqual([]);
  });
});
