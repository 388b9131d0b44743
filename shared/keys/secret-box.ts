/**
 * Envelope encryption of secrets (webhook signing secrets): each secret is encrypted with its
 * own AES-256-GCM data key, and only the data key, wrapped by the service's key, is stored beside
 * it. In AWS the wrapping key is a customer-managed KMS key (GenerateDataKey / Decrypt, with the
 * encryption context bound to what the secret belongs to); locally it is a key file, wrapping
 * with AES-256-GCM under the same context. The table, its stream images and its backups hold
 * only ciphertext.
 *
 * The context (service, purpose, owner id) is authenticated on both layers, so a sealed secret
 * copied onto another subscription does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { ENV_KEYS } from '../env.ts';
import { kmsClient } from './kms.ts';
import { keyFromFile } from './key-file.ts';
import { keyLocation } from './location.ts';

/** What is stored in place of a secret. */
export interface SealedSecret {
  /** Format version. */
  v: 1;
  /** The wrapped data key (KMS ciphertext blob, or iv|tag|ciphertext under the key file), base64. */
  wrappedKey: string;
  /** AES-256-GCM of the secret under the data key: iv, tag and ciphertext, base64. */
  iv: string;
  tag: string;
  data: string;
}

/** What a secret belongs to; every member is authenticated. */
export type SecretContext = Record<string, string>;

export class SecretOpenError extends Error {}

const contextBytes = (context: SecretContext) =>
  Buffer.from(
    JSON.stringify(Object.keys(context).sort().map((k) => [k, context[k]])),
    'utf8',
  );

function gcmSeal(key: Buffer, plaintext: Buffer, aad: Buffer) {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

function gcmOpen(key: Buffer, iv: Buffer, tag: Buffer, data: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new SecretOpenError('the sealed secret does not open under this key and context (altered, or sealed for another owner)');
  }
}

/** A new data key: its plaintext (used once, then dropped) and its wrapped form (stored). */
async function newDataKey(context: SecretContext): Promise<{ plaintext: Buffer; wrapped: Buffer }> {
  const where = keyLocation(ENV_KEYS.secretsKey);
  if (where.kind === 'kms') {
    const out = await kmsClient().send(new GenerateDataKeyCommand({ KeyId: where.keyId, KeySpec: 'AES_256', EncryptionContext: context }));
    if (!out.Plaintext || !out.CiphertextBlob) throw new Error('KMS GenerateDataKey returned no key');
    return { plaintext: Buffer.from(out.Plaintext), wrapped: Buffer.from(out.CiphertextBlob) };
  }
  const plaintext = randomBytes(32);
  const { iv, tag, data } = gcmSeal(keyFromFile(where.path), plaintext, contextBytes(context));
  return { plaintext, wrapped: Buffer.concat([iv, tag, data]) };
}

/**
 * Unwrapped data keys by wrapped form, kept for the life of the process (a warm function opens
 * the same subscription's secret for every delivery); bounded, oldest dropped first.
 */
const unwrapped = new Map<string, Buffer>();
const UNWRAPPED_KEPT = 256;

async function unwrapDataKey(wrapped: Buffer, context: SecretContext): Promise<Buffer> {
  const where = keyLocation(ENV_KEYS.secretsKey);
  const cacheKey = `${where.kind === 'kms' ? where.keyId : where.path}|${wrapped.toString('base64')}|${contextBytes(context).toString('base64')}`;
  const cached = unwrapped.get(cacheKey);
  if (cached) return cached;
  let key: Buffer;
  if (where.kind === 'kms') {
    const out = await kmsClient()
      .send(new DecryptCommand({ KeyId: where.keyId, CiphertextBlob: wrapped, EncryptionContext: context }))
      .catch((error: unknown) => {
        if ((error as { name?: string }).name === 'InvalidCiphertextException') throw new SecretOpenError('KMS refused the wrapped key for this context');
        throw error;
      });
    if (!out.Plaintext) throw new Error('KMS Decrypt returned no key');
    key = Buffer.from(out.Plaintext);
  } else {
    if (wrapped.length < 28) throw new SecretOpenError('the wrapped key is truncated');
    key = gcmOpen(keyFromFile(where.path), wrapped.subarray(0, 12), wrapped.subarray(12, 28), wrapped.subarray(28), contextBytes(context));
  }
  if (unwrapped.size >= UNWRAPPED_KEPT) unwrapped.delete(unwrapped.keys().next().value as string);
  unwrapped.set(cacheKey, key);
  return key;
}

export async function sealSecret(secret: string, context: SecretContext): Promise<SealedSecret> {
  const { plaintext, wrapped } = await newDataKey(context);
  const { iv, tag, data } = gcmSeal(plaintext, Buffer.from(secret, 'utf8'), contextBytes(context));
  plaintext.fill(0);
  return { v: 1, wrappedKey: wrapped.toString('base64'), iv: iv.toString('base64'), tag: tag.toString('base64'), data: data.toString('base64') };
}

export async function openSecret(sealed: SealedSecret, context: SecretContext): Promise<string> {
  if (!sealed || sealed.v !== 1) throw new SecretOpenError('not a sealed secret of a known format');
  const key = await unwrapDataKey(Buffer.from(sealed.wrappedKey, 'base64'), context);
  return gcmOpen(key, Buffer.from(sealed.iv, 'base64'), Buffer.from(sealed.tag, 'base64'), Buffer.from(sealed.data, 'base64'), contextBytes(context)).toString('utf8');
}
