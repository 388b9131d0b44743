/**
 * Notification topics of the manifests (`topics`), in CDK: the accountability service's
 * `alerts` topic is a KMS-encrypted, TLS-only SNS topic fed by a rule on the region bus with
 * the manifest's pattern, with a dead-letter queue, and its ARN is a stack output; cdk-nag
 * stays clean. (Functions whose entry is not written yet are left out of this synthesis, so
 * the test checks the topic wiring alone.)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, busName, regionResourceName } from '../../infra/naming.ts';
import { REGIONS } from '../../infra/regions.ts';
import { nagPacks } from '../../infra/stacks.ts';
import accountability from '../../services/accountability/service.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { referencedIds, resourcesOf, synthRegions } from './synth.ts';

const manifest: ServiceManifest = { ...accountability, functions: accountability.functions.filter((f) => existsSync(join(REPO_ROOT, f.entry))) };
const region = REGIONS[0]!;
const { stacks, templates } = synthRegions({ regions: [region], manifests: [manifest], checks: true });
/** The topic is in the accountability service's stack; the region bus is in the base stack. */
const t = templates.get(region.code)!.services.get('accountability')!;
const base = templates.get(region.code)!.base;
const json = t.toJSON() as { Resources: Record<string, { Type: string; Properties?: Record<string, any> }>; Outputs: Record<string, { Value: unknown }> };
const decl = accountability.topics!.find((x) => x.name === 'alerts')!;

function topicId(): string {
  const topics = resourcesOf(t, 'AWS::SNS::Topic').filter(([, r]) => r.Properties?.TopicName === regionResourceName(region.code, ['accountability', 'alerts'], 256));
  expect(topics).toHaveLength(1);
  return topics[0]![0];
}

describe('notification topics', () => {
  it('declares the alerts topic fed by SupervisorAlertRaised in the accountability manifest', () => {
    expect(decl.pattern).toEqual({ source: ['jixiao.accountability'], 'detail-type': ['SupervisorAlertRaised'] });
  });

  it('makes an SNS topic encrypted with its own rotating KMS key', () => {
    const topic = json.Resources[topicId()]!;
    const keyId = [...referencedIds(topic.Properties?.KmsMasterKeyId)][0]!;
    expect(json.Resources[keyId]?.Type).toBe('AWS::KMS::Key');
    expect(json.Resources[keyId]?.Properties?.EnableKeyRotation).toBe(true);
    const keyPolicy = JSON.stringify(json.Resources[keyId]?.Properties?.KeyPolicy);
    expect(keyPolicy).toContain('events.amazonaws.com');
  });

  it('refuses publishing to the topic without TLS and lets EventBridge publish', () => {
    const id = topicId();
    const policies = resourcesOf(t, 'AWS::SNS::TopicPolicy').filter(([, p]) => referencedIds(p.Properties?.Topics).has(id));
    const text = JSON.stringify(policies.map(([, p]) => p.Properties?.PolicyDocument));
    expect(text).toContain('"aws:SecureTransport":"false"');
    expect(text).toContain('events.amazonaws.com');
  });

  it('feeds the topic from a rule on the region bus with the manifest pattern, retried and with an encrypted dead-letter queue', () => {
    const id = topicId();
    const rules = resourcesOf(t, 'AWS::Events::Rule').filter(([, r]) => (r.Properties?.Targets ?? []).some((x: any) => referencedIds(x.Arn).has(id)));
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1];
    expect(rule.Properties?.Name).toBe(regionResourceName(region.code, ['accountability', 'topic', 'alerts']));
    expect(rule.Properties?.EventPattern).toEqual(decl.pattern);
    // The rule names the region bus, which the base stack makes under that name.
    expect(rule.Properties?.EventBusName).toBe(busName(region.code));
    const buses = resourcesOf(base, 'AWS::Events::EventBus');
    expect(buses.map(([, bus]) => bus.Properties?.Name)).toEqual([busName(region.code)]);
    const target = rule.Properties?.Targets[0];
    expect(target.RetryPolicy.MaximumRetryAttempts).toBe(185);
    const dlqId = [...referencedIds(target.DeadLetterConfig.Arn)][0]!;
    expect(json.Resources[dlqId]?.Type).toBe('AWS::SQS::Queue');
    expect(json.Resources[dlqId]?.Properties?.SqsManagedSseEnabled).toBe(true);
  });

  it('outputs the topic ARN', () => {
    const id = topicId();
    const outputs = Object.values(json.Outputs).filter((o) => referencedIds(o.Value).has(id));
    expect(outputs.length).toBe(1);
  });

  it('leaves no unacknowledged cdk-nag finding', () => {
    for (const stack of stacks) {
      const findings = nagPacks().flatMap((pack) => pack.validateScope(stack).violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`));
      expect(findings).toEqual([]);
    }
  });
});
