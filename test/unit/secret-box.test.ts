/**
 * Envelope encryption of secrets with the local key file (the AWS path differs only in who wraps
 * the data key: KMS instead of the file; shared/keys/secret-box.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../../shared/env.ts';
import { openSecret, sealSecret, SecretOpenError } from '../../shared/keys/secret-box.ts';

let dir: string;
const context = { service: 'accountability', purpose: 'webhook-signing-secret', subscription: 'asub_1' };
const SECRET = 'whsec_Zx9-clear-text-that-must-not-be-stored';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'secret-box-'));
  writeFileSync(join(dir, 'secrets.key'), randomBytes(32));
  process.env[ENV_KEYS.secretsKey] = `file:${join(dir, 'secrets.key')}`;
});
afterAll(() => {
  delete process.env[ENV_KEYS.secretsKey];
  rmSync(dir, { recursive: true, force: true });
});

describe('sealSecret and openSecret', () => {
  it('opens what it sealed', async () => {
    expect(await openSecret(await sealSecret(SECRET, context), context)).toBe(SECRET);
  });
  it('stores no part of the secret in clear text, in any encoding of the sealed form', async () => {
    const sealed = JSON.stringify(await sealSecret(SECRET, context));
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
  });
  it('seals the same secret differently each time (a new data key and iv)', async () => {
    const [a, b] = [await sealSecret(SECRET, context), await sealSecret(SECRET, context)];
    expect(a.wrappedKey).not.toBe(b.wrappedKey);
    expect(a.data).not.toBe(b.data);
  });
  it('refuses to open a secret sealed for another subscription', async () => {
    const sealed = await sealSecret(SECRET, context);
    await expect(openSecret(sealed, { ...context, subscription: 'asub_2' })).rejects.toBeInstanceOf(SecretOpenError);
  });
  it('refuses to open an altered ciphertext', async () => {
    const sealed = await sealSecret(SECRET, context);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] as number) ^ 1;
    await expect(openSecret({ ...sealed, data: data.toString('base64') }, context)).rejects.toBeInstanceOf(SecretOpenError);
  });
  it('refuses a data key wrapped under another key file, even one opened before under the right key', async () => {
    const sealed = await sealSecret(SECRET, context);
    expect(await openSecret(sealed, context)).toBe(SECRET);
    writeFileSync(join(dir, 'other.key'), randomBytes(32));
    process.env[ENV_KEYS.secretsKey] = `file:${join(dir, 'other.key')}`;
    try {
      await expect(openSecret(sealed, context)).rejects.toBeInstanceOf(SecretOpenError);
    } finally {
      process.env[ENV_KEYS.secretsKey] = `file:${join(dir, 'secrets.key')}`;
    }
  });
});
