/**
 * Head checkpoints of the trail, kept where the table's writers cannot change them. In AWS: an
 * S3 bucket with Object Lock in compliance mode (one object per record and checkpointed seq,
 * written with If-None-Match so a checkpoint is never replaced; the lock keeps every version
 * until its retention ends, whoever asks). Locally: one append-only JSON-lines file outside
 * DynamoDB. Only the checkpoint job writes (manifest `write-checkpoints`); `…/verify` reads.
 *
 * A checkpoint holds the link hashes of a record's entries 1..seq, so a verification can name
 * the first stored entry that disagrees with it.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ENV_KEYS } from '../env.ts';
import { storeLocation } from './location.ts';

export interface Checkpoint {
  /** The record: `CASE#<id>`, `RECT#<id>`. */
  record: string;
  /** The last entry checkpointed. */
  seq: number;
  /** The link hashes of entries 1..seq, in order. */
  hashes: string[];
  /** When the checkpoint was written. */
  at: string;
}

let s3: S3Client | undefined;
const s3Client = () => (s3 ??= new S3Client({ maxAttempts: 4 }));

const pad = (n: number) => String(n).padStart(6, '0');
const prefixOf = (record: string) => `checkpoints/${encodeURIComponent(record)}/`;

function parseCheckpoint(text: string): Checkpoint | undefined {
  try {
    const c = JSON.parse(text) as Checkpoint;
    if (typeof c.record !== 'string' || !Number.isInteger(c.seq) || !Array.isArray(c.hashes) || c.hashes.length !== c.seq) return undefined;
    return c;
  } catch {
    return undefined; // a line cut short by a crash mid-write: not a checkpoint
  }
}

/** Writes checkpoints; one that exists already for the same record and seq is left as it is (returned in `existing`). */
export async function writeCheckpoints(checkpoints: readonly Checkpoint[]): Promise<{ written: number; existing: Checkpoint[] }> {
  const where = storeLocation(ENV_KEYS.trailCheckpoints);
  if (where.kind === 'file') {
    if (checkpoints.length) await appendFile(where.path, checkpoints.map((c) => `${JSON.stringify(c)}\n`).join(''), { flag: 'a', mode: 0o600 });
    return { written: checkpoints.length, existing: [] };
  }
  const existing: Checkpoint[] = [];
  let written = 0;
  for (const c of checkpoints) {
    try {
      await s3Client().send(
        new PutObjectCommand({
          Bucket: where.bucket,
          Key: `${prefixOf(c.record)}${pad(c.seq)}.json`,
          Body: JSON.stringify(c),
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      written++;
    } catch (error) {
      if ((error as { name?: string; $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== 412) throw error;
      existing.push(c);
    }
  }
  return { written, existing };
}

/** The record's checkpoint with the highest seq, if any. */
export async function latestCheckpoint(record: string): Promise<Checkpoint | undefined> {
  const where = storeLocation(ENV_KEYS.trailCheckpoints);
  if (where.kind === 'file') {
    let text: string;
    try {
      text = await readFile(where.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // nothing checkpointed yet
      throw error;
    }
    let latest: Checkpoint | undefined;
    for (const line of text.split('\n')) {
      if (!line.includes(record)) continue;
      const c = parseCheckpoint(line);
      if (c?.record === record && (!latest || c.seq >= latest.seq)) latest = c;
    }
    return latest;
  }
  let lastKey: string | undefined;
  let token: string | undefined;
  do {
    const page = await s3Client().send(new ListObjectsV2Command({ Bucket: where.bucket, Prefix: prefixOf(record), ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key && (!lastKey || o.Key > lastKey)) lastKey = o.Key;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!lastKey) return undefined;
  const object = await s3Client().send(new GetObjectCommand({ Bucket: where.bucket, Key: lastKey }));
  const c = parseCheckpoint((await object.Body?.transformToString('utf8')) ?? '');
  if (!c || c.record !== record) throw new Error(`checkpoint ${lastKey} is not readable`);
  return c;
}
