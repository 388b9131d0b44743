/** Recognising failed conditions in DynamoDB errors (optimistic locking → 409). */

interface CancellationReason {
  Code?: string;
}

/** True when the write failed because item `index` of the transaction did not meet its condition. */
export function conditionFailedAt(error: unknown, index: number): boolean {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name === 'ConditionalCheckFailedException') return index === 0;
  return e?.name === 'TransactionCanceledException' && e.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed';
}

/** True when the transaction was cancelled only by failed conditions (a real "no"), not by a conflict or throttling. */
export function cancelledByConditions(error: unknown): boolean {
  const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
  if (e?.name !== 'TransactionCanceledException') return false;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  return codes.includes('ConditionalCheckFailed') && codes.every((c) => c === 'None' || c === 'ConditionalCheckFailed');
}
