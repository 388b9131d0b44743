/**
 * Deterministic execution-data batches (treasury extracts) for the ingestion tests and bench:
 * row i of a batch is always the same, so expected totals can be computed without keeping rows.
 */
export const ECONOMIC_CLASSES = ['30201', '30211', '31002', '30226'] as const;

export const objectIdAt = (k: number) => `obj_exec${String(k).padStart(8, '0')}`;

export interface GeneratedRow {
  objectId: string;
  date: string;
  /** Text with 2 decimals, as a CSV cell holds it. */
  amountYuan: string;
  voucher: string;
  economicClass?: string;
  /** The same amount, integer fen. */
  fen: number;
  month: number;
}

/** Row i: object i mod `objects`, every month of `year`, amounts from -1,000.00 to 19,000.00 yuan (some refunds). */
export function rowAt(i: number, year: number, objects: number, seed = 0): GeneratedRow {
  const month = (i % 12) + 1;
  const day = ((i * 7) % 28) + 1;
  const fen = ((i * 7919 + seed * 104_729) % 2_000_000) - 100_000;
  const abs = Math.abs(fen);
  return {
    objectId: objectIdAt(i % objects),
    date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    amountYuan: `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`,
    voucher: `GK${year}-${seed}-${String(i + 1).padStart(7, '0')}`,
    ...(i % 5 === 0 ? {} : { economicClass: ECONOMIC_CLASSES[i % 4] }),
    fen,
    month: year * 100 + month,
  };
}

export const CSV_HEADER = 'objectId,date,amountYuan,voucher,economicClass';

/** A CSV batch (CRLF, header on line 1, row i on line i + 2). */
export function csvBatch(count: number, year: number, objects: number, seed = 0): string {
  const lines: string[] = [CSV_HEADER];
  for (let i = 0; i < count; i++) {
    const r = rowAt(i, year, objects, seed);
    lines.push(`${r.objectId},${r.date},${r.amountYuan},${r.voucher},${r.economicClass ?? ''}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** object → month (YYYYMM) → fen, for rows `0..count-1` except `skip`. */
export function expectedTotals(count: number, year: number, objects: number, seed = 0, skip: ReadonlySet<number> = new Set()): Map<string, Map<number, number>> {
  const totals = new Map<string, Map<number, number>>();
  for (let i = 0; i < count; i++) {
    if (skip.has(i)) continue;
    const r = rowAt(i, year, objects, seed);
    let months = totals.get(r.objectId);
    if (!months) totals.set(r.objectId, (months = new Map()));
    months.set(r.month, (months.get(r.month) ?? 0) + r.fen);
  }
  return totals;
}
