/**
 * Append-only, tamper-evident record: every entry of an accountability case or a
 * rectification order carries the hash of the entry before it, so changing, removing or
 * reordering any stored entry breaks the chain from that entry on, and `verifyChain`
 * recomputes it from the stored entries alone.
 *
 * The link hash alone stops careless edits only: whoever can write the table can recompute
 * every hash and the head. Two more pieces of evidence, gathered by the store and passed in
 * here, stop a table writer who rewrites consistently (docs/decisions.md, "Secrets and the
 * trail"): each entry's keyed MAC (`trailMacMessage`), which needs a key the table's writers do
 * not hold, and the record's latest checkpoint, written where they cannot change it.
 *
 * hash = SHA-256 (hex) of the canonical JSON (keys sorted at every level, no whitespace) of the
 * entry without its `hash`: { seq, at, actor, type, body, prevHash }. The first entry's
 * prevHash is 64 zeros. Pure (node:crypto only).
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainActor {
  sub: string;
  role: string;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ChainEntry<T extends string = string> {
  /** 1 for the first entry, +1 per entry. */
  seq: number;
  at: string;
  actor: ChainActor;
  type: T;
  body: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface NewEntry<T extends string = string> {
  at: string;
  actor: ChainActor;
  type: T;
  body: Record<string, unknown>;
}

/** JSON with keys sorted at every level and no whitespace; `undefined` members are left out (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: numbers must be finite');
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const keys = Object.keys(value as Record<string, unknown>)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** The hash an entry must carry, computed from everything but its `hash`. */
export function entryHash(entry: Omit<ChainEntry, 'hash'>): string {
  const { seq, at, actor, type, body, prevHash } = entry;
  return createHash('sha256').update(canonicalJson({ seq, at, actor: { sub: actor.sub, role: actor.role }, type, body, prevHash }), 'utf8').digest('hex');
}

/** The next entry after `prev` (or the first one). */
export function appendEntry<T extends string>(prev: Pick<ChainEntry, 'seq' | 'hash'> | undefined, next: NewEntry<T>): ChainEntry<T> {
  const unhashed = {
    seq: prev ? prev.seq + 1 : 1,
    at: next.at,
    actor: { sub: next.actor.sub, role: next.actor.role },
    type: next.type,
    body: JSON.parse(canonicalJson(next.body)) as Record<string, unknown>,
    prevHash: prev ? prev.hash : GENESIS_HASH,
  };
  return { ...unhashed, hash: entryHash(unhashed) };
}

/** Appends several entries in order. */
export function appendEntries<T extends string>(prev: Pick<ChainEntry, 'seq' | 'hash'> | undefined, next: readonly NewEntry<T>[]): ChainEntry<T>[] {
  const out: ChainEntry<T>[] = [];
  let last = prev;
  for (const n of next) {
    const entry = appendEntry(last, n);
    out.push(entry);
    last = entry;
  }
  return out;
}

/** What the trail key MACs for an entry: the record it belongs to and its link hash (which covers seq, content and the previous entry). */
export function trailMacMessage(record: string, entry: Pick<ChainEntry, 'hash'>): string {
  return `jixiao-trail-v1|${record}|${entry.hash}`;
}

/** Evidence from outside the table: which entries' MACs verify, and the latest checkpoint. */
export interface TrailEvidence {
  /** One per stored entry, in order: whether its MAC verifies under the trail key. */
  macValid?: readonly boolean[];
  /** The record's latest checkpoint: the link hashes of entries 1..seq when it was written. */
  checkpoint?: { seq: number; hashes: readonly string[]; at: string };
}

export interface ChainVerification {
  valid: boolean;
  length: number;
  /** The first entry (by its position in the chain, 1-based) that does not verify. */
  brokenAt?: number;
  reason?: string;
  /** The hash of the last entry (the head) when valid. */
  headHash?: string;
}

/**
 * Recomputes the chain in the order given (the store returns entries by seq). Each entry must
 * have seq = its position, the previous entry's hash as prevHash, and the hash of its own
 * content. `expected` (the head's last seq and hash, kept separately) also catches entries cut
 * off the end.
 */
export function verifyChain(entries: readonly ChainEntry[], expected?: { seq: number; hash: string }, evidence: TrailEvidence = {}): ChainVerification {
  const { macValid, checkpoint } = evidence;
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as ChainEntry;
    const position = i + 1;
    const broken = (reason: string): ChainVerification => ({ valid: false, length: entries.length, brokenAt: position, reason });
    if (!e || typeof e !== 'object') return broken('entry missing');
    if (e.seq !== position) return broken(`entry ${position} carries seq ${String(e.seq)}: an entry is missing, repeated or out of order`);
    if (e.prevHash !== prevHash) return broken(`entry ${position} does not carry the hash of entry ${position - 1}`);
    let computed: string;
    try {
      computed = entryHash(e);
    } catch {
      return broken(`entry ${position} cannot be hashed`);
    }
    if (computed !== e.hash) return broken(`entry ${position} was altered: its content does not match its hash`);
    if (checkpoint && position <= checkpoint.seq && checkpoint.hashes[i] !== e.hash) {
      return broken(`entry ${position} differs from the checkpoint of ${checkpoint.at}: it was rewritten after it was checkpointed`);
    }
    if (macValid && macValid[i] !== true) return broken(`entry ${position} does not carry the trail key's MAC: it was written or rewritten without the key`);
    prevHash = e.hash;
  }
  if (checkpoint && entries.length < checkpoint.seq) {
    return { valid: false, length: entries.length, brokenAt: entries.length + 1, reason: `the checkpoint of ${checkpoint.at} records ${checkpoint.seq} entries; ${entries.length} are stored` };
  }
  if (expected) {
    if (entries.length < expected.seq) return { valid: false, length: entries.length, brokenAt: entries.length + 1, reason: `the record says ${expected.seq} entries; ${entries.length} are stored` };
    if (entries.length > expected.seq) return { valid: false, length: entries.length, brokenAt: expected.seq + 1, reason: `the record says ${expected.seq} entries; ${entries.length} are stored` };
    if (entries.length > 0 && prevHash !== expected.hash) return { valid: false, length: entries.length, brokenAt: entries.length, reason: 'the last entry is not the one the record points to' };
  }
  return { valid: true, length: entries.length, ...(entries.length ? { headHash: prevHash } : {}) };
}
