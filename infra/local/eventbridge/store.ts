/**
 * Disk persistence of the local bus: the event archive and the dead-letter store, as JSONL
 * files in `<dataDir>/events/`. Plain files so they survive restarts and the CLIs can read
 * them while the runtime is stopped.
 *
 * - `archive.jsonl` is append-only; past `maxArchiveBytes` it rotates to `archive.1.jsonl`
 *   (the previous `.1` is dropped), which bounds the disk used to about twice the limit.
 * - `dlq.jsonl` is small and changes as a whole (park, redrive), so every change rewrites
 *   it through a temp file and a rename: a reader never sees a half-written store.
 *
 * Writes are serialised per store instance; readers skip a torn last line rather than fail.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { appendFile, open, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventEnvelope } from './envelope.ts';

export const ARCHIVE_FILE = 'archive.jsonl';
export const ROTATED_ARCHIVE_FILE = 'archive.1.jsonl';
export const DLQ_FILE = 'dlq.jsonl';
export const DEFAULT_MAX_ARCHIVE_BYTES = 50 * 1024 * 1024;

export interface ArchivedEvent {
  archivedAt: string;
  /** Ids of the rules the event matched when accepted (empty: nobody was listening). */
  rules: string[];
  /** ARN of the bus that forwarded the event here; absent for events a producer put. */
  forwardedFrom?: string;
  event: EventEnvelope;
}

export type ParkReason = 'max-attempts' | 'max-age' | 'bus-closed';

export interface ParkedEvent {
  /** Id of this dead-letter entry (not the event's). */
  id: string;
  ruleId: string;
  event: EventEnvelope;
  /** Delivery attempts so far, including failed redrives. */
  attempts: number;
  reason: ParkReason;
  lastError: { message: string; stack?: string };
  acceptedAt: string;
  firstAttemptAt: string;
  lastAttemptAt: string;
  parkedAt: string;
  redrives: number;
}

export interface EventStoreOptions {
  maxArchiveBytes?: number;
}

/** Parses JSONL, skipping blank and unparseable lines (a crash can tear the last one). */
function parseLines<T>(text: string): T[] {
  const items: T[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      items.push(JSON.parse(line) as T);
    } catch {
      // torn or foreign line: skip it, the rest of the file is still good
    }
  }
  return items;
}

function toLines(items: readonly unknown[]): string {
  return items.map((item) => `${JSON.stringify(item)}\n`).join('');
}

/** Reads the dead-letter store; an absent file is an empty store. */
export function readDlq(eventsDir: string): ParkedEvent[] {
  const file = join(eventsDir, DLQ_FILE);
  return existsSync(file) ? parseLines<ParkedEvent>(readFileSync(file, 'utf8')) : [];
}

/**
 * The last `limit` archived events, oldest first. Reads the archive backwards in chunks so a
 * 50 MB archive costs a few kilobytes, then falls back to the rotated file if needed.
 */
export async function readArchiveTail(eventsDir: string, limit: number): Promise<ArchivedEvent[]> {
  if (limit <= 0) return [];
  const current = await tailLines(join(eventsDir, ARCHIVE_FILE), limit);
  if (current.length >= limit) return parseLines<ArchivedEvent>(current.join('\n')).slice(-limit);
  const older = await tailLines(join(eventsDir, ROTATED_ARCHIVE_FILE), limit - current.length);
  return parseLines<ArchivedEvent>([...older, ...current].join('\n')).slice(-limit);
}

const TAIL_CHUNK = 64 * 1024;

async function tailLines(file: string, count: number): Promise<string[]> {
  if (count <= 0 || !existsSync(file)) return [];
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    let position = size;
    const chunks: Buffer[] = [];
    let newlines = 0;
    // Read backwards until the bytes hold `count` complete lines (a newline before each).
    while (position > 0 && newlines <= count) {
      const length = Math.min(TAIL_CHUNK, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      chunks.unshift(chunk);
      for (const byte of chunk) if (byte === 0x0a) newlines++;
    }
    // Decode once: a multi-byte character may straddle two chunks.
    const lines = Buffer.concat(chunks).toString('utf8').split('\n');
    // Unless we reached the start of the file, the first piece is the tail of an older line.
    if (position > 0) lines.shift();
    return lines.filter((line) => line.trim()).slice(-count);
  } finally {
    await handle.close();
  }
}

/** The writer side, owned by one bus. */
export class EventStore {
  readonly archiveFile: string;
  readonly dlqFile: string;
  private readonly maxArchiveBytes: number;
  private archiveBytes: number;
  private archiveWrites: Promise<void> = Promise.resolve();
  private dlqWrites: Promise<void> = Promise.resolve();
  private tempCounter = 0;

  constructor(
    readonly eventsDir: string,
    options: EventStoreOptions = {},
  ) {
    mkdirSync(eventsDir, { recursive: true });
    this.archiveFile = join(eventsDir, ARCHIVE_FILE);
    this.dlqFile = join(eventsDir, DLQ_FILE);
    this.maxArchiveBytes = options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
    this.archiveBytes = existsSync(this.archiveFile) ? statSync(this.archiveFile).size : 0;
  }

  /** Appends in one write; resolves once the lines are in the file. */
  appendArchive(records: readonly ArchivedEvent[]): Promise<void> {
    const text = toLines(records);
    const write = this.archiveWrites.then(async () => {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (this.archiveBytes > 0 && this.archiveBytes + bytes > this.maxArchiveBytes) {
        await rename(this.archiveFile, join(this.eventsDir, ROTATED_ARCHIVE_FILE));
        this.archiveBytes = 0;
      }
      await appendFile(this.archiveFile, text, 'utf8');
      this.archiveBytes += bytes;
    });
    // Keep the chain alive after a failure; the caller still sees this write's error.
    this.archiveWrites = write.catch(() => undefined);
    return write;
  }

  readArchiveTail(limit: number): Promise<ArchivedEvent[]> {
    // Wait for pending appends so a caller sees what it just published.
    return this.archiveWrites.then(() => readArchiveTail(this.eventsDir, limit));
  }

  loadDlq(): ParkedEvent[] {
    return readDlq(this.eventsDir);
  }

  /** Replaces the dead-letter store atomically with `entries` (snapshotted now). */
  saveDlq(entries: readonly ParkedEvent[]): Promise<void> {
    const text = toLines(entries);
    const write = this.dlqWrites.then(async () => {
      const temp = `${this.dlqFile}.${process.pid}.${++this.tempCounter}.tmp`;
      await writeFile(temp, text, 'utf8');
      await rename(temp, this.dlqFile);
    });
    this.dlqWrites = write.catch(() => undefined);
    return write;
  }

  /** Resolves when every write issued so far has settled. */
  async flush(): Promise<void> {
    await Promise.all([this.archiveWrites, this.dlqWrites]);
  }
}
