import { describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { REGIONS } from '../../infra/regions.ts';
import { nagPacks } from '../../infra/stacks.ts';
import { synthRegions } from './synth.ts';

const NAG_RULE = /^(Annotation::)?(AwsSolutions|Serverless)-/;

// Synthesis runs the packs as validation plugins: an unacknowledged error would throw here.
const { stacks } = synthRegions({ checks: true });

function findings(scope: IConstruct) {
  return nagPacks().flatMap((pack) =>
    pack.validateScope(scope).violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
  );
}

/** Every acknowledgement in the tree: where it sits, what it acknowledges, why. */
function acknowledgements(scope: IConstruct): { path: string; id: string; reason: string; onStack: boolean }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id, reason, onStack: Stack.isStack(c) })),
  );
}

describe('cdk-nag', () => {
  it('synthesizes every configured region with the AwsSolutions and Serverless packs registered', () => {
    expect(stacks.map((s) => s.division.code)).toEqual(REGIONS.map((r) => r.code));
  });

  it('leaves no unacknowledged AwsSolutions or Serverless finding, error or warning, in any region', () => {
    for (const stack of stacks) expect(findings(stack), stack.stackName).toEqual([]);
  });

  it('leaves no AwsSolutions or Serverless error or warning in the stack annotations', () => {
    for (const stack of stacks) {
      const annotations = Annotations.fromStack(stack);
      const rule = Match.stringLikeRegexp('AwsSolutions-.*|Serverless-.*');
      expect(annotations.findError('*', rule)).toEqual([]);
      expect(annotations.findWarning('*', rule)).toEqual([]);
    }
  });

  it('acknowledges findings on single resources, never a whole stack, each with a reason and IAM5 only for named findings', () => {
    for (const stack of stacks) {
      const acks = acknowledgements(stack.node.root).filter((a) => NAG_RULE.test(a.id));
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        expect(ack.onStack, `${ack.id} at ${ack.path}`).toBe(false);
        expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(40);
        if (ack.id.includes('AwsSolutions-IAM5')) expect(ack.id).toMatch(/IAM5\[Resource::.+\]$/);
      }
    }
  });

  it('still reports a resource that breaks the rules (the packs are live)', () => {
    const stack = new Stack(new App(), 'Control');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(findings(stack).join('\n')).toMatch(/AwsSolutions-SQS2/);
  });
});
