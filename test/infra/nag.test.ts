import { describe, expect, it } from 'vitest';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { apiStageStackId, serviceStackId, stackId } from '../../infra/naming.ts';
import { REGIONS } from '../../infra/regions.ts';
import { nagPacks } from '../../infra/stacks.ts';
import { manifests } from '../../services/registry.ts';
import { synthRegions } from './synth.ts';

const NAG_RULE = /^(Annotation::)?(AwsSolutions|Serverless)-/;

// Synthesis runs the packs as validation plugins: an unacknowledged error would throw here.
const { app, regions, stacks } = synthRegions({ checks: true });
/** The assembly that synthesis made (App.synth returns it again without synthesizing anew). */
const assembly = app.synth();

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
  it('synthesizes every stack of every configured region with the AwsSolutions and Serverless packs registered', () => {
    expect(regions.map((r) => r.region.code)).toEqual(REGIONS.map((r) => r.code));
    expect(stacks.map((s) => s.stackName)).toEqual(
      REGIONS.flatMap((r) => [stackId(r.code), ...manifests.map((m) => serviceStackId(r.code, m.name)), apiStageStackId(r.code)]),
    );
  });

  it('leaves no unacknowledged AwsSolutions or Serverless finding, error or warning, in any stack of any region', () => {
    for (const stack of stacks) expect(findings(stack), stack.stackName).toEqual([]);
  });

  it('leaves no AwsSolutions or Serverless error or warning in the stack annotations', () => {
    // The messages Annotations.fromStack reads, from the one synthesis (fromStack would
    // synthesize the whole app again for each of the stacks).
    for (const stack of stacks) {
      const messages = assembly.getStackArtifact(stack.artifactId).messages;
      const nag = messages.filter((m) => (m.level === 'error' || m.level === 'warning') && /AwsSolutions-|Serverless-/.test(JSON.stringify(m.entry.data)));
      expect(nag, stack.stackName).toEqual([]);
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
