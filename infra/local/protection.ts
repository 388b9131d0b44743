/**
 * The local runtime's stand-ins for a service's KMS keys and checkpoint bucket (shared/keys/):
 * key files of 32 random bytes and an append-only checkpoint file, under the region's data
 * folder, apart from DynamoDB Local's files, so that whoever writes the tables does not hold
 * them. Created once, kept with the data (secrets sealed under a key open only with that key),
 * removed with it by `npm start -- --reset`.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_USES, SECRET_KEY_USES, TRAIL_KEY_USES, usesAnyKey, type ServiceManifest } from '../../shared/manifest.ts';

/** Creates the file with `bytes` unless it exists (exclusive create: two starts never overwrite a key). */
function createOnce(path: string, bytes: Buffer): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw error;
  }
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** The `protection` of a service's functions (infra/function-env.ts), its files created as needed. */
export function localProtection(dataDir: string, manifest: ServiceManifest): { secretsKey?: string; trailKey?: string; trailCheckpoints?: string } {
  const keys = join(dataDir, 'keys');
  const out: { secretsKey?: string; trailKey?: string; trailCheckpoints?: string } = {};
  const keyFile = (name: string) => {
    mkdirSync(keys, { recursive: true, mode: 0o700 });
    const path = join(keys, `${manifest.name}-${name}.key`);
    createOnce(path, randomBytes(32));
    return `file:${path}`;
  };
  if (usesAnyKey(manifest, SECRET_KEY_USES)) out.secretsKey = keyFile('secrets');
  if (usesAnyKey(manifest, TRAIL_KEY_USES)) out.trailKey = keyFile('trail');
  if (usesAnyKey(manifest, CHECKPOINT_USES)) {
    const dir = join(dataDir, 'trail');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    out.trailCheckpoints = `file:${join(dir, `${manifest.name}-checkpoints.jsonl`)}`;
  }
  return out;
}
