/**
 * Importing indicators from CSV or JSON. Every row is validated first (shape, domain rules,
 * known sector); with bad rows and `partial` off, nothing is written and every bad row is
 * reported with its line and reason. Good rows are written in transactions of up to
 * `ROWS_PER_TRANSACTION` indicators (head, code claim, audit, revision and event when
 * published), and the job item records progress after each, so `GET .../imports/{jobId}`
 * shows how far a large import is. Rows whose code already exists in the region are skipped,
 * which makes re-running an import (or the seed) harmless.
 */
import type { Actor } from '../../events/envelope.ts';
import { Problem } from '../../shared/errors.ts';
import { conditionFailedAt } from '../../shared/conditions.ts';
import type { OutboxEvent, TransactItem } from '../../shared/outbox.ts';
import { newIndicator, publish, revisionOf, type Indicator, type IndicatorDraftInput } from './domain/indicator.ts';
import { rowsFromCsv, rowsFromJson } from './domain/import-rows.ts';
import { indicatorPublished, type EventContext } from './events.ts';
import { newId } from './ids.ts';
import * as store from './store.ts';

/** 20 indicators × (head + code + audit + revision + outbox) = 100 items, DynamoDB's transaction limit. */
export const ROWS_PER_TRANSACTION = 20;
/** Rows checked and written per progress step: one code look-up, then its transactions in parallel. */
export const ROWS_PER_STEP = 100;

export type ImportRequest = { format: 'csv'; content: string; publish?: boolean } | { format: 'json'; indicators: unknown[]; publish?: boolean };

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

export class ImportRejected extends Problem {
  constructor(readonly rows: RowError[]) {
    super(422, 'import-rejected', `${new Set(rows.map((r) => r.line)).size} row(s) are invalid; nothing was imported. Fix them, or send partial=true to import the valid rows only.`, {
      errors: rows.slice(0, 200).map((r) => ({ field: `line ${r.line}: ${r.field}`, message: r.reason })),
    });
  }

  override toBody(instance?: string, correlationId?: string) {
    return { ...super.toBody(instance, correlationId), rows: this.rows };
  }
}

export async function runImport(input: { request: ImportRequest; partial: boolean; actor: Actor; events: EventContext; now?: () => Date }) {
  const now = input.now ?? (() => new Date());
  const sectorList = await store.listSectors();
  const sectorOptions = { sectors: sectorList.map((s) => ({ code: s.code, label: s.label })) };
  const parsed = input.request.format === 'csv' ? rowsFromCsv(input.request.content, sectorOptions) : rowsFromJson(input.request.indicators, sectorOptions);
  const invalid: RowError[] = [...parsed.invalid];

  const sectors = new Set(sectorList.map((s) => s.code));
  const valid: { line: number; draft: IndicatorDraftInput }[] = [];
  for (const row of parsed.valid) {
    if (row.draft.sector && !sectors.has(row.draft.sector)) invalid.push({ line: row.line, field: 'sector', reason: `unknown sector ${row.draft.sector}; add it first (PUT /v1/indicators/sectors/{code})` });
    else valid.push(row);
  }
  invalid.sort((a, b) => a.line - b.line);
  if (invalid.length && !input.partial) throw new ImportRejected(invalid);

  const startedAt = now();
  const job: store.ImportJob = {
    jobId: newId('imp', startedAt),
    status: 'running',
    total: valid.length,
    processed: 0,
    imported: 0,
    skipped: 0,
    failed: invalid,
    ids: [],
    startedAt: startedAt.toISOString(),
    startedBy: input.actor.sub,
  };
  await store.putImportJob(job);

  for (let i = 0; i < valid.length; i += ROWS_PER_STEP) {
    const step = valid.slice(i, i + ROWS_PER_STEP);
    const claimed = await store.indicatorIdsByCodes(input.actor.region, step.flatMap((r) => (r.draft.code ? [r.draft.code] : [])));
    const fresh: typeof step = [];
    for (const row of step) {
      const existing = row.draft.code ? claimed.get(row.draft.code) : undefined;
      if (existing) {
        job.skipped++;
        job.ids?.push({ line: row.line, id: existing, ...(row.draft.code ? { code: row.draft.code } : {}) });
      } else fresh.push(row);
    }
    const transactions: (typeof fresh)[] = [];
    for (let j = 0; j < fresh.length; j += ROWS_PER_TRANSACTION) transactions.push(fresh.slice(j, j + ROWS_PER_TRANSACTION));
    await Promise.all(transactions.map((rows) => writeRows(rows, job, input, now)));
    job.processed += step.length;
    await store.recordImportProgress(job.jobId, job);
  }

  const done = { ...job, status: 'done' as const, finishedAt: now().toISOString() };
  await store.putImportJob(done);
  const { startedBy: _by, ...result } = done;
  return result;
}

function build(row: { line: number; draft: IndicatorDraftInput }, input: { request: ImportRequest; actor: Actor; events: EventContext }, at: Date) {
  const draft = newIndicator(row.draft, newId('ind', at), input.actor, at);
  const indicator: Indicator = input.request.publish ? publish(draft, input.actor, at) : draft;
  const items: TransactItem[] = store.indicatorCreation(indicator, input.actor, input.request.publish ? revisionOf(indicator) : undefined);
  const events: OutboxEvent[] = input.request.publish ? [indicatorPublished(indicator, input.events)] : [];
  return { indicator, items, events };
}

async function writeRows(rows: { line: number; draft: IndicatorDraftInput }[], job: store.ImportJob, input: { request: ImportRequest; actor: Actor; events: EventContext }, now: () => Date) {
  if (!rows.length) return;
  const at = now();
  const built = rows.map((row) => ({ row, ...build(row, input, at) }));
  try {
    await store.writeTransaction(built.flatMap((b) => b.items), built.flatMap((b) => b.events));
    for (const b of built) {
      job.imported++;
      job.ids?.push({ line: b.row.line, id: b.indicator.id, ...(b.indicator.code ? { code: b.indicator.code } : {}) });
    }
  } catch (error) {
    if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
    // A code was claimed concurrently: write the rows one by one so only that row is skipped.
    for (const b of built) {
      try {
        await store.writeTransaction(b.items, b.events);
        job.imported++;
        job.ids?.push({ line: b.row.line, id: b.indicator.id, ...(b.indicator.code ? { code: b.indicator.code } : {}) });
      } catch (single) {
        if (!conditionFailedAt(single, store.CREATION_CODE_INDEX)) throw single;
        job.skipped++;
      }
    }
  }
}
