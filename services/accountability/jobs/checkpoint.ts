/**
 * Scheduled (every 15 minutes): checkpoints the heads of the cases and rectification orders
 * changed since their last checkpoint. For each record on the queue (store/chain.ts) it reads the
 * entries, verifies them (link hashes, MACs under the trail key, and agreement with the record's
 * previous checkpoint) and only then writes the new checkpoint with the link hashes of every
 * entry (shared/keys/checkpoints.ts: Object Lock in AWS, an append-only file locally).
 *
 * A record that does not verify is not checkpointed: it stays on the queue, the run names it in
 * the log and fails at the end, so the function's error alarm reaches the operators. Pages of
 * the queue are processed in turn; a run cut short by its timeout leaves the rest queued for the
 * next one.
 */
import { logger } from '../../../shared/logger.ts';
import { writeCheckpoints, type Checkpoint } from '../../../shared/keys/checkpoints.ts';
import { verifyChain, type ChainEntry } from '../domain/chain.ts';
import { clearPending, pendingCheckpoints, recordEntries, recordHead, trailEvidence, type MacedEntry, type PendingCheckpoint } from '../store/chain.ts';

export interface CheckpointRun {
  /** Records taken from the queue. */
  checked: number;
  /** Checkpoints written. */
  written: number;
  /** Records left queued because an entry was appended while they were checked. */
  requeued: number;
  /** Records that did not verify: not checkpointed, left queued. */
  refused: { record: string; brokenAt?: number; reason?: string }[];
}

export class TrailVerificationError extends Error {}

async function checkpointOne(item: PendingCheckpoint, at: string, run: CheckpointRun): Promise<void> {
  const head = await recordHead(item.record);
  const entries = await recordEntries<MacedEntry<ChainEntry<string>>>(item.record);
  const evidence = await trailEvidence(item.record, entries);
  const result = verifyChain(entries, head ? { seq: head.lastSeq, hash: head.lastHash } : undefined, evidence);
  if (!head || !result.valid) {
    run.refused.push({ record: item.record, ...(result.brokenAt !== undefined ? { brokenAt: result.brokenAt } : {}), reason: head ? result.reason : 'the record has no head' });
    logger.error('trail record does not verify: not checkpointed', { record: item.record, brokenAt: result.brokenAt, reason: result.reason });
    return;
  }
  if (!evidence.checkpoint || evidence.checkpoint.seq < entries.length) {
    const checkpoint: Checkpoint = { record: item.record, seq: entries.length, hashes: entries.map((e) => e.hash), at };
    const { existing } = await writeCheckpoints([checkpoint]);
    if (existing.length === 0) run.written++;
  }
  if (!(await clearPending(item))) run.requeued++;
}

/** One run at `now`. */
export async function checkpointTrail(now: Date): Promise<CheckpointRun> {
  const run: CheckpointRun = { checked: 0, written: 0, requeued: 0, refused: [] };
  const at = now.toISOString();
  let next: Record<string, unknown> | undefined;
  do {
    const page = await pendingCheckpoints(next);
    for (const item of page.items) {
      run.checked++;
      await checkpointOne(item, at, run);
    }
    next = page.next;
  } while (next);
  logger.info('trail checkpoint run', { checked: run.checked, written: run.written, requeued: run.requeued, refused: run.refused.length });
  if (run.refused.length) {
    throw new TrailVerificationError(`${run.refused.length} trail record(s) do not verify and were not checkpointed: ${run.refused.map((r) => `${r.record} (entry ${r.brokenAt ?? '?'}: ${r.reason ?? ''})`).join('; ')}`);
  }
  return run;
}
