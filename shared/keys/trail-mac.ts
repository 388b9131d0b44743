/**
 * Keyed MACs for the trail (the entries of accountability cases and rectification orders): each
 * entry's SHA-256 link hash is MACed with the service's trail key, so whoever can write the table
 * but does not hold the key cannot make a rewritten entry verify. In AWS the key is a KMS HMAC
 * key that never leaves KMS (GenerateMac / VerifyMac, HMAC_SHA_256); locally it is a key file.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GenerateMacCommand, VerifyMacCommand } from '@aws-sdk/client-kms';
import { ENV_KEYS } from '../env.ts';
import { kmsClient } from './kms.ts';
import { keyFromFile } from './key-file.ts';
import { keyLocation } from './location.ts';

/** HMAC-SHA-256 of `message` (UTF-8) under the trail key, base64. */
export async function trailMac(message: string): Promise<string> {
  const where = keyLocation(ENV_KEYS.trailKey);
  if (where.kind === 'kms') {
    const out = await kmsClient().send(new GenerateMacCommand({ KeyId: where.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8') }));
    if (!out.Mac) throw new Error('KMS GenerateMac returned no MAC');
    return Buffer.from(out.Mac).toString('base64');
  }
  return createHmac('sha256', keyFromFile(where.path)).update(message, 'utf8').digest('base64');
}

/** Whether `mac` is the trail key's MAC of `message`. */
export async function trailMacValid(message: string, mac: unknown): Promise<boolean> {
  if (typeof mac !== 'string' || mac.length === 0) return false;
  const given = Buffer.from(mac, 'base64');
  const where = keyLocation(ENV_KEYS.trailKey);
  if (where.kind === 'kms') {
    try {
      const out = await kmsClient().send(new VerifyMacCommand({ KeyId: where.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: Buffer.from(message, 'utf8'), Mac: given }));
      return out.MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not verify with KMSInvalidMacException, not MacValid: false.
      if ((error as { name?: string }).name === 'KMSInvalidMacException') return false;
      throw error;
    }
  }
  const expected = createHmac('sha256', keyFromFile(where.path)).update(message, 'utf8').digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
