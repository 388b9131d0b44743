/**
 * A service's keys and trail checkpoints, from the `keyUses` of its manifest's functions
 * (shared/manifest.ts, KeyUse); a service none of whose functions declares a use gets none:
 *
 * - secrets (`seal-secrets`, `open-secrets`): a customer-managed symmetric key, rotated yearly,
 *   that wraps the data keys of sealed secrets (webhook signing secrets) and encrypts the
 *   service's table (service-table.ts);
 * - trail (`sign-trail`, `verify-trail`): an HMAC key (HMAC_256) for the entries of the
 *   tamper-evident records; its material never leaves KMS;
 * - checkpoints (`write-checkpoints`, `read-checkpoints`): the Object Lock bucket of
 *   checkpoint-bucket.ts.
 *
 * Each function gets the environment entry and the grant of each use it declares, and nothing
 * for the uses it does not. One subtlety: the table is encrypted with the secrets key, so the
 * table grants (service-function.ts) and the relay's stream grant give every table user
 * kms:Decrypt and kms:GenerateDataKey on that key, which DynamoDB needs to use the key on its
 * behalf. What tells a secret apart is its encryption context: the application seals and
 * opens with `{ service: <service>, purpose, id }`, which DynamoDB never sends (its own
 * context is `aws:dynamodb:*`). So the secret grants are conditioned on `service`, and every
 * function that does not declare a secrets use gets an explicit Deny of it under any context
 * naming a `service`: the table grants stay usable by DynamoDB, and only the declared
 * functions can seal or open a secret.
 *
 * Keys and buckets are retained when the stack goes: without the keys neither the table nor
 * the trail can be read or checked.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { CHECKPOINT_USES, SECRET_KEY_USES, TRAIL_KEY_USES, usesAnyKey, type FunctionDecl, type KeyUse, type ServiceManifest } from '../../shared/manifest.ts';
import type { FunctionEnvInput } from '../function-env.ts';
import { keyAlias } from '../naming.ts';
import type { RegionConfig } from '../regions.ts';
import { CheckpointBucket } from './checkpoint-bucket.ts';

/** The encryption-context key every sealed secret carries, whose value is the service's name. */
export const SECRET_CONTEXT_KEY = 'service';

/**
 * The KMS actions of sealing and of opening a secret. Sealing needs only GenerateDataKey (the
 * data key encrypts the secret locally); the Deny of a function that may not seal also covers
 * the other ways to encrypt under the key, and that of one that may not open covers ReEncryptFrom,
 * which would turn a sealed secret into one under a key the caller controls.
 */
const SECRET_ACTIONS = {
  seal: { allow: ['kms:GenerateDataKey'], deny: ['kms:GenerateDataKey*', 'kms:Encrypt', 'kms:ReEncryptTo'] },
  open: { allow: ['kms:Decrypt'], deny: ['kms:Decrypt', 'kms:ReEncryptFrom'] },
} as const;

const TRAIL_ACTIONS: Partial<Record<KeyUse, string>> = { 'sign-trail': 'kms:GenerateMac', 'verify-trail': 'kms:VerifyMac' };

export interface ServiceKeysProps {
  readonly region: RegionConfig;
  readonly manifest: ServiceManifest;
}

export class ServiceKeys extends Construct {
  /** Wraps sealed secrets' data keys and encrypts the table; present if a function uses secrets. */
  readonly secretsKey?: kms.Key;
  /** HMAC_256 key of the trail; present if a function signs or verifies the trail. */
  readonly trailKey?: kms.Key;
  /** Present if a function writes or reads checkpoints. */
  readonly checkpoints?: CheckpointBucket;
  private readonly serviceName: string;

  /** The keys a manifest's `keyUses` call for, or undefined when it declares none. */
  static forManifest(scope: Construct, id: string, props: ServiceKeysProps): ServiceKeys | undefined {
    const { manifest } = props;
    return [SECRET_KEY_USES, TRAIL_KEY_USES, CHECKPOINT_USES].some((uses) => usesAnyKey(manifest, uses)) ? new ServiceKeys(scope, id, props) : undefined;
  }

  private constructor(scope: Construct, id: string, props: ServiceKeysProps) {
    super(scope, id);
    const { region, manifest } = props;
    this.serviceName = manifest.name;

    if (usesAnyKey(manifest, SECRET_KEY_USES)) {
      this.secretsKey = new kms.Key(this, 'SecretsKey', {
        description: `Jixiao ${region.code} ${manifest.name}: sealed secrets and the service's table`,
        alias: keyAlias(region.code, manifest.name, 'secrets'),
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    if (usesAnyKey(manifest, TRAIL_KEY_USES)) {
      // KMS rotates only symmetric encryption keys; an HMAC key keeps its material, which is
      // what lets every past MAC of the trail still be verified.
      this.trailKey = new kms.Key(this, 'TrailKey', {
        description: `Jixiao ${region.code} ${manifest.name}: MACs of the trail's entries`,
        alias: keyAlias(region.code, manifest.name, 'trail'),
        keySpec: kms.KeySpec.HMAC_256,
        keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
        removalPolicy: RemovalPolicy.RETAIN,
      });
    }
    if (usesAnyKey(manifest, CHECKPOINT_USES)) {
      this.checkpoints = new CheckpointBucket(this, 'Checkpoints', { region });
    }
  }

  /** Where the keys and checkpoints are, for functionEnvironment (which keeps each function's own). */
  get protection(): NonNullable<FunctionEnvInput['protection']> {
    return {
      ...(this.secretsKey ? { secretsKey: this.secretsKey.keyArn } : {}),
      ...(this.trailKey ? { trailKey: this.trailKey.keyArn } : {}),
      ...(this.checkpoints ? { trailCheckpoints: this.checkpoints.url } : {}),
    };
  }

  /** The grants of the uses `decl` declares, and the Deny of the secret uses it does not. */
  grant(role: iam.Role, decl: FunctionDecl): void {
    const uses = new Set(decl.keyUses ?? []);
    if (this.secretsKey) {
      this.grantSecrets(role, 'seal', uses.has('seal-secrets'));
      this.grantSecrets(role, 'open', uses.has('open-secrets'));
    }
    if (this.trailKey) {
      const actions = [...uses].flatMap((use) => TRAIL_ACTIONS[use] ?? []);
      if (actions.length) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [this.trailKey.keyArn] }));
    }
    if (this.checkpoints) {
      if (uses.has('write-checkpoints')) this.checkpoints.grantWrite(role);
      if (CHECKPOINT_USES.some((use) => uses.has(use))) this.checkpoints.grantRead(role);
    }
  }

  private grantSecrets(role: iam.Role, operation: keyof typeof SECRET_ACTIONS, declared: boolean): void {
    const key = this.secretsKey!;
    const { allow, deny } = SECRET_ACTIONS[operation];
    role.addToPrincipalPolicy(
      declared
        ? new iam.PolicyStatement({
            actions: [...allow],
            resources: [key.keyArn],
            conditions: { StringEquals: { [`kms:EncryptionContext:${SECRET_CONTEXT_KEY}`]: this.serviceName } },
          })
        : new iam.PolicyStatement({
            effect: iam.Effect.DENY,
            actions: [...deny],
            resources: [key.keyArn],
            // Null false: the request's encryption context has the key, whatever its value.
            conditions: { Null: { [`kms:EncryptionContext:${SECRET_CONTEXT_KEY}`]: 'false' } },
          }),
    );
  }
}
