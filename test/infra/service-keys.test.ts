/**
 * The keys and checkpoints of the manifests' `keyUses` (infra/constructs/service-keys.ts), in the
 * accountability service's stack: a rotating customer-managed key for secrets that also
 * encrypts the table, an HMAC key for the trail, an Object Lock bucket for the checkpoints, and
 * for each function exactly the grants and environment entries its uses need. A service that
 * declares no use (indicators) gets none of them. Expectations are derived from the manifest's
 * `keyUses`, so the tests state the rule rather than today's list of functions.
 */
import { describe, expect, it } from 'vitest';
import { retentionDays } from '../../infra/constructs/checkpoint-bucket.ts';
import { keyAlias, regionResourceName } from '../../infra/naming.ts';
import { REGIONS, checkpointRetentionYearsOf } from '../../infra/regions.ts';
import { manifests } from '../../services/registry.ts';
import { functionId, type FunctionDecl, type KeyUse, type ServiceManifest } from '../../shared/manifest.ts';
import { asArray, functionsByName, refOf, resourcesById, resourcesOf, statementsOfRole, synthRegions } from './synth.ts';

const region = REGIONS[0]!;
const accountability = manifests.find((m) => m.name === 'accountability')!;
const indicators = manifests.find((m) => m.name === 'indicators')!;
const { templates } = synthRegions({ regions: [region], manifests: [accountability, indicators] });
const t = templates.get(region.code)!.services.get('accountability')!;
const resources = resourcesById(t);

const uses = (decl: FunctionDecl): ReadonlySet<KeyUse> => new Set(decl.keyUses ?? []);
const declaring = (use: KeyUse) => accountability.functions.filter((f) => uses(f).has(use)).map((f) => f.name);

/** The logical id of the key the service's alias for `purpose` names. */
function keyIdOf(purpose: 'secrets' | 'trail'): string {
  const aliases = resourcesOf(t, 'AWS::KMS::Alias').filter(([, a]) => a.Properties?.AliasName === keyAlias(region.code, 'accountability', purpose));
  expect(aliases, purpose).toHaveLength(1);
  return refOf(aliases[0]![1].Properties?.TargetKeyId);
}

/** The Object Lock bucket: the service's only bucket with Object Lock. */
function checkpointBucketId(): string {
  const locked = resourcesOf(t, 'AWS::S3::Bucket').filter(([, b]) => b.Properties?.ObjectLockEnabled === true);
  expect(locked).toHaveLength(1);
  return locked[0]![0];
}

function fnOf(decl: FunctionDecl, manifest: ServiceManifest = accountability) {
  const fn = functionsByName(t).get(regionResourceName(region.code, [functionId(manifest.name, decl.name)]));
  if (!fn) throw new Error(`no function ${decl.name}`);
  return fn;
}

function statementsOf(decl: FunctionDecl) {
  return statementsOfRole(t, refOf(fnOf(decl).resource.Properties?.Role));
}

/** Actions of the function's statements with `effect` on the resource `id`, optionally only those whose condition is `condition`. */
function actionsOn(decl: FunctionDecl, id: string, effect: 'Allow' | 'Deny', condition?: unknown): Set<string> {
  return new Set(
    statementsOf(decl)
      .filter((s) => s.Effect === effect && JSON.stringify(s.Resource).includes(`"${id}"`))
      .filter((s) => condition === undefined || JSON.stringify(s.Condition) === JSON.stringify(condition))
      .flatMap((s) => asArray<string>(s.Action)),
  );
}

const SECRET_CONTEXT = { StringEquals: { 'kms:EncryptionContext:service': 'accountability' } };
const ANY_SECRET_CONTEXT = { Null: { 'kms:EncryptionContext:service': 'false' } };

describe('keys and checkpoints of the manifests’ keyUses', () => {
  it('declares every kind of use in the accountability manifest, and writing checkpoints by the checkpoint function alone', () => {
    for (const use of ['seal-secrets', 'open-secrets', 'sign-trail', 'verify-trail', 'read-checkpoints'] as const) expect(declaring(use), use).not.toEqual([]);
    expect(declaring('write-checkpoints')).toEqual(['checkpoint']);
  });

  it('makes a customer-managed symmetric key for secrets, rotated, retained, under the service’s alias', () => {
    const key = resources[keyIdOf('secrets')]!;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties?.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    expect(key.Properties?.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('encrypts the service’s table with the secrets key', () => {
    const tables = resourcesOf(t, 'AWS::DynamoDB::GlobalTable');
    expect(tables).toHaveLength(1);
    const p = tables[0]![1].Properties!;
    expect(p.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    expect(p.Replicas[0].SSESpecification).toEqual({ KMSMasterKeyId: { 'Fn::GetAtt': [keyIdOf('secrets'), 'Arn'] } });
  });

  it('makes an HMAC_256 key for the trail, for MACs only, retained', () => {
    const key = resources[keyIdOf('trail')]!;
    expect(key.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('locks every checkpoint in compliance mode for the region’s retention, in a versioned, private, TLS-only, retained bucket', () => {
    const bucket = resources[checkpointBucketId()]!;
    expect(bucket.Properties?.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: retentionDays(checkpointRetentionYearsOf(region)) } },
    });
    expect(retentionDays(checkpointRetentionYearsOf(region))).toBeGreaterThanOrEqual(checkpointRetentionYearsOf(region) * 365);
    expect(bucket.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(bucket.DeletionPolicy).toBe('Retain');
    const policy = resourcesOf(t, 'AWS::S3::BucketPolicy').find(([, p]) => refOf(p.Properties?.Bucket) === checkpointBucketId());
    expect(JSON.stringify(policy?.[1].Properties?.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
  });

  it('logs every access to the checkpoint bucket to a separate, private log bucket', () => {
    const logging = resources[checkpointBucketId()]!.Properties?.LoggingConfiguration;
    const logBucketId = refOf(logging.DestinationBucketName);
    expect(logBucketId).not.toBe(checkpointBucketId());
    expect(resources[logBucketId]!.Properties?.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
  });

  it('lets the functions that seal secrets use kms:GenerateDataKey under the service’s encryption context, and no one else', () => {
    for (const decl of accountability.functions) {
      const allowed = actionsOn(decl, keyIdOf('secrets'), 'Allow', SECRET_CONTEXT);
      expect(allowed.has('kms:GenerateDataKey'), decl.name).toBe(uses(decl).has('seal-secrets'));
      expect(actionsOn(decl, keyIdOf('secrets'), 'Deny', ANY_SECRET_CONTEXT).has('kms:GenerateDataKey*'), decl.name).toBe(!uses(decl).has('seal-secrets'));
    }
  });

  it('lets the functions that open secrets use kms:Decrypt under the service’s encryption context, and no one else', () => {
    for (const decl of accountability.functions) {
      const allowed = actionsOn(decl, keyIdOf('secrets'), 'Allow', SECRET_CONTEXT);
      expect(allowed.has('kms:Decrypt'), decl.name).toBe(uses(decl).has('open-secrets'));
      const denied = actionsOn(decl, keyIdOf('secrets'), 'Deny', ANY_SECRET_CONTEXT);
      expect(denied.has('kms:Decrypt') && denied.has('kms:ReEncryptFrom'), decl.name).toBe(!uses(decl).has('open-secrets'));
    }
  });

  it('lets the API seal a secret but not open one, and the webhooks function open one but not seal one', () => {
    const [api, webhooks] = ['api', 'webhooks'].map((name) => accountability.functions.find((f) => f.name === name)!);
    expect([...actionsOn(api!, keyIdOf('secrets'), 'Allow', SECRET_CONTEXT)]).toEqual(['kms:GenerateDataKey']);
    expect(actionsOn(api!, keyIdOf('secrets'), 'Deny', ANY_SECRET_CONTEXT)).toEqual(new Set(['kms:Decrypt', 'kms:ReEncryptFrom']));
    expect([...actionsOn(webhooks!, keyIdOf('secrets'), 'Allow', SECRET_CONTEXT)]).toEqual(['kms:Decrypt']);
    expect(actionsOn(webhooks!, keyIdOf('secrets'), 'Deny', ANY_SECRET_CONTEXT)).toEqual(new Set(['kms:GenerateDataKey*', 'kms:Encrypt', 'kms:ReEncryptTo']));
  });

  it('uses the secrets key without a condition only for what DynamoDB does on a function’s behalf: the table, or the relay’s stream', () => {
    for (const decl of accountability.functions) {
      const unconditioned = statementsOf(decl).filter((s) => s.Effect === 'Allow' && !s.Condition && JSON.stringify(s.Resource).includes(`"${keyIdOf('secrets')}"`));
      const actions = new Set(unconditioned.flatMap((s) => asArray<string>(s.Action)));
      const table = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];
      const expected = decl.kind === 'relay' ? ['kms:Decrypt', 'kms:DescribeKey'] : table;
      expect(actions, decl.name).toEqual(new Set(expected));
    }
  });

  it('gives kms:GenerateMac to the functions that sign the trail and kms:VerifyMac to those that verify it, nothing else on the trail key', () => {
    for (const decl of accountability.functions) {
      const expected = [...(uses(decl).has('sign-trail') ? ['kms:GenerateMac'] : []), ...(uses(decl).has('verify-trail') ? ['kms:VerifyMac'] : [])];
      expect(actionsOn(decl, keyIdOf('trail'), 'Allow'), decl.name).toEqual(new Set(expected));
      expect(actionsOn(decl, keyIdOf('trail'), 'Deny'), decl.name).toEqual(new Set());
    }
  });

  it('gives s3:PutObject on the checkpoints to the functions that write them only, and get and list to every reader and writer', () => {
    for (const decl of accountability.functions) {
      const reads = uses(decl).has('read-checkpoints') || uses(decl).has('write-checkpoints');
      const expected = [...(uses(decl).has('write-checkpoints') ? ['s3:PutObject'] : []), ...(reads ? ['s3:GetObject', 's3:ListBucket'] : [])];
      expect(actionsOn(decl, checkpointBucketId(), 'Allow'), decl.name).toEqual(new Set(expected));
    }
  });

  it('lets no function delete a checkpoint, change its lock or legal hold, or change the bucket', () => {
    const forbidden = /^s3:(\*|Delete|PutObjectRetention|PutObjectLegalHold|BypassGovernanceRetention|PutBucket|PutLifecycle|PutObjectAcl|Abort)/;
    for (const decl of accountability.functions) {
      const s3Actions = statementsOf(decl).flatMap((s) => asArray<string>(s.Action)).filter((a) => a.startsWith('s3:'));
      expect(s3Actions.filter((a) => forbidden.test(a)), decl.name).toEqual([]);
    }
  });

  it('puts SECRETS_KEY, TRAIL_KEY and TRAIL_CHECKPOINTS on exactly the functions whose keyUses need them: the key ARNs and s3://<bucket>', () => {
    const value = {
      SECRETS_KEY: { 'Fn::GetAtt': [keyIdOf('secrets'), 'Arn'] },
      TRAIL_KEY: { 'Fn::GetAtt': [keyIdOf('trail'), 'Arn'] },
      TRAIL_CHECKPOINTS: { 'Fn::Join': ['', ['s3://', { Ref: checkpointBucketId() }]] },
    };
    const needs = { SECRETS_KEY: ['seal-secrets', 'open-secrets'], TRAIL_KEY: ['sign-trail', 'verify-trail'], TRAIL_CHECKPOINTS: ['write-checkpoints', 'read-checkpoints'] } as const;
    for (const decl of accountability.functions) {
      const env = fnOf(decl).resource.Properties?.Environment.Variables as Record<string, unknown>;
      for (const [name, wanted] of Object.entries(needs)) {
        const expected = wanted.some((use) => uses(decl).has(use)) ? value[name as keyof typeof value] : undefined;
        expect(env[name], `${decl.name} ${name}`).toEqual(expected);
      }
    }
  });

  it('makes no key, bucket or protection variable for a service whose functions declare no keyUses', () => {
    expect(indicators.functions.every((f) => !f.keyUses?.length)).toBe(true);
    const other = templates.get(region.code)!.services.get('indicators')!;
    expect(resourcesOf(other, 'AWS::KMS::Key')).toEqual([]);
    expect(resourcesOf(other, 'AWS::S3::Bucket')).toEqual([]);
    const table = resourcesOf(other, 'AWS::DynamoDB::GlobalTable')[0]![1].Properties!;
    expect(table.SSESpecification?.SSEType).not.toBe('KMS');
    expect(JSON.stringify(other.toJSON())).not.toMatch(/SECRETS_KEY|TRAIL_KEY|TRAIL_CHECKPOINTS|kms:|s3:/);
  });
});

describe('keys of a service with only some uses', () => {
  // A service whose one function only verifies the trail: an HMAC key, and nothing for secrets or checkpoints.
  const probe: ServiceManifest = {
    name: 'evaluation',
    description: 'probe',
    table: indicators.table!,
    functions: [{ ...accountability.functions.find((f) => f.name === 'overdue')!, name: 'audit', keyUses: ['verify-trail'] }],
    publishes: [],
  };
  const probeTemplate = synthRegions({ regions: [region], manifests: [probe] }).templates.get(region.code)!.services.get('evaluation')!;

  it('makes only the keys and buckets the declared uses call for', () => {
    const keys = resourcesOf(probeTemplate, 'AWS::KMS::Key');
    expect(keys.map(([, k]) => k.Properties?.KeySpec)).toEqual(['HMAC_256']);
    expect(resourcesOf(probeTemplate, 'AWS::S3::Bucket')).toEqual([]);
    expect(resourcesOf(probeTemplate, 'AWS::DynamoDB::GlobalTable')[0]![1].Properties?.SSESpecification?.SSEType).not.toBe('KMS');
  });
});
