/** Recognising failed conditions in DynamoDB errors (optimistic locking → 409). */
import { Problem } from './errors.ts';

interface CancellationReason {
  Code?: string;
}

/** True when the write failed because item `index` of the transaction did not meet its condition. */
export function conditionFailedAt(error: unknown, index: number): boolean {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name === 'ConditionalCheckFailedException') return index === 0;
  return e?.name === 'TransactionCanceledException' && e.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
}

/**
 * True when a write lost a race it should retry after reading again: one of the items at
 * `indexes` failed its condition (someone wrote it since it was read), or another transaction
 * held one of its items (a conflict).
 */
export function lostRaceAt(error: unknown, ...indexes: number[]): boolean {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name === 'TransactionConflictException') return true;
  if ((e?.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict')) return true;
  return indexes.some((i) => conditionFailedAt(error, i));
}

/** True when the transaction was cancelled only by failed conditions (a real "no"), not by a conflict or throttling. */
export function cancelledByConditions(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name !== 'TransactionCanceledException') return false;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  return codes.includes('ConditionalCheckFailed') && codes.every((c) => c === 'None' || c === 'ConditionalCheckFailed');
}

/** True when a single conditional write (Put/Update/Delete) failed its condition. */
export function conditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/**
 * Runs a conditional write whose first item is the record's head; a lost race on the head
 * becomes a 409 telling the caller to read `what` again and retry. Other errors pass through
 * (the HTTP stack maps throttling and conflicts to 503/409 itself).
 */
export async function guardConcurrentUpdate(what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (conditionFailedAt(error, 0)) throw new Problem(409, 'concurrent-update', `Someone else changed this ${what} at the same time; read it again and retry`);
    throw error;
  }
}
