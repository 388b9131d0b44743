/**
 * The local runtime's stand-in for a KMS key: 32 random bytes in a file outside the table
 * (infra/local/protection.ts creates it, mode 0600). Read once per process.
 */
import { readFileSync } from 'node:fs';
import { KeyConfigurationError } from './location.ts';

export const KEY_FILE_BYTES = 32;

const cache = new Map<string, Buffer>();

export function keyFromFile(path: string): Buffer {
  let key = cache.get(path);
  if (!key) {
    key = readFileSync(path);
    if (key.length !== KEY_FILE_BYTES) throw new KeyConfigurationError(`key file ${path} holds ${key.length} bytes, not ${KEY_FILE_BYTES}`);
    cache.set(path, key);
  }
  return key;
}
