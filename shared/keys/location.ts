/**
 * Where a key or the checkpoints are, read from the environment the runtime sets (shared/env.ts):
 * a KMS key ARN (any partition) or `s3://<bucket>` in AWS, `file:<path>` in the local runtime. Only the place
 * differs between the runtimes; what is done with the key (envelope encryption, MACs, the
 * checkpoint format) is the same code in both.
 */
import { requireEnv } from '../env.ts';

export type KeyLocation = { kind: 'kms'; keyId: string } | { kind: 'file'; path: string };
export type StoreLocation = { kind: 's3'; bucket: string } | { kind: 'file'; path: string };

export class KeyConfigurationError extends Error {}

export function keyLocation(envName: string): KeyLocation {
  const value = requireEnv(envName);
  // Any partition: arn:aws:kms:… and, in the China regions, arn:aws-cn:kms:….
  if (/^arn:aws[a-z-]*:kms:/.test(value) || value.startsWith('alias/')) return { kind: 'kms', keyId: value };
  if (value.startsWith('file:')) return { kind: 'file', path: value.slice('file:'.length) };
  throw new KeyConfigurationError(`${envName} must be a KMS key ARN or file:<path>, not ${JSON.stringify(value.slice(0, 40))}`);
}

export function storeLocation(envName: string): StoreLocation {
  const value = requireEnv(envName);
  if (value.startsWith('s3://')) return { kind: 's3', bucket: value.slice('s3://'.length).replace(/\/.*$/, '') };
  if (value.startsWith('file:')) return { kind: 'file', path: value.slice('file:'.length) };
  throw new KeyConfigurationError(`${envName} must be s3://<bucket> or file:<path>, not ${JSON.stringify(value.slice(0, 40))}`);
}
