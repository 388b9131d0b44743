/**
 * Importing indicators from CSV or JSON. Every row is validated first (shape, domain rules,
 * known sector); with bad rows and `partial` off, nothing is written and every bad row is
 * reported with its line and reason.
 *
 * Small imports (up to `SYNC_ROWS` good rows) are written during the request and answered 200
 * with the finished job. Larger ones are queued: the rows are stored in chunks of
 * `ROWS_PER_CHUNK`, each with an `IndicatorImportChunkQueued` event in the same transaction,
 * the request is answered 202 with the job, and the service's importer writes the chunks in the
 * background, adding to the job's counters (`GET /v1/indicators/imports/{jobId}`) as it goes.
 * A request therefore never runs into the API's time limit, whatever the file size.
 *
 * Rows are written in transactions of `ROWS_PER_TRANSACTION` indicators (head, code claim,
 * audit, revision and event when published). Rows whose code already exists in the region are
 * skipped, which makes re-running an import (or the seed) harmless. Queued rows get ids derived
 * from the job and line, so a chunk redelivered after a crash cannot write a row twice.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../../../events/envelope.ts';
import type { IndicatorImportChunkQueued } from '../../../events/indicators.ts';
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { Problem } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import type { EventContext, OutboxEvent, TransactItem } from '../../../shared/outbox.ts';
import { newIndicator, publish, revisionOf, type Indicator, type IndicatorDraftInput } from '../domain/indicator.ts';
import { rowsFromCsv, rowsFromJson } from '../domain/import-rows.ts';
import { importChunkQueued, indicatorPublished } from '../events.ts';
import * as imports from '../store/imports.ts';
import * as indicators from '../store/indicators.ts';
import { listSectors } from '../store/sectors.ts';

/** 20 indicators × (head + code + audit + revision + outbox) = 100 items, DynamoDB's transaction limit. */
export const ROWS_PER_TRANSACTION = 20;
/** Rows checked and written per progress step: one code look-up, then its transactions in parallel. */
export const ROWS_PER_STEP = 100;
/** Up to this many good rows are written during the request; more are queued. */
export const SYNC_ROWS = 500;
export const ROWS_PER_CHUNK = 100;
/** Chunk item + its event = 2 transaction items; 49 pairs stay under 100 (48 with the job). */
const CHUNKS_PER_TRANSACTION = 49;
/** Row errors kept on the job item (an item holds at most 400 KB); the count is always exact. */
export const MAX_STORED_ROW_ERRORS = 500;

export type ImportRequest = { format: 'csv'; content: string; publish?: boolean } | { format: 'json'; indicators: unknown[]; publish?: boolean };

export interface RowError {
  line: number;
  field: string;
  reason: string;
}

type Row = { line: number; draft: IndicatorDraftInput };
type Counts = { processed: number; imported: number; skipped: number };

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

interface Writer {
  actor: Actor;
  publish: boolean;
  events: EventContext;
  /** Deterministic ids for queued rows; fresh ids otherwise. */
  idFor: (row: Row, at: Date) => string;
}

export async function runImport(input: { request: ImportRequest; partial: boolean; actor: Actor; events: EventContext; now?: () => Date }) {
  const now = input.now ?? (() => new Date());
  const sectorList = await listSectors();
  const sectorOptions = { sectors: sectorList.map((s) => ({ code: s.code, label: s.label })) };
  const parsed = input.request.format === 'csv' ? rowsFromCsv(input.request.content, sectorOptions) : rowsFromJson(input.request.indicators, sectorOptions);
  const invalid: RowError[] = [...parsed.invalid];

  const labels = new Map(sectorList.map((s) => [s.code, s.label]));
  const valid: Row[] = [];
  for (const row of parsed.valid) {
    const sector = row.draft.sector;
    if (sector && !labels.has(sector)) invalid.push({ line: row.line, field: 'sector', reason: `unknown sector ${sector}; add it first (PUT /v1/indicators/sectors/{code})` });
    else valid.push(sector ? { line: row.line, draft: { ...row.draft, sectorLabel: labels.get(sector) as string } } : row);
  }
  invalid.sort((a, b) => a.line - b.line);
  if (invalid.length && !input.partial) throw new ImportRejected(invalid);

  const startedAt = now();
  const job: imports.ImportJob = {
    jobId: newTimeOrderedId('imp', startedAt),
    status: 'running',
    mode: valid.length > SYNC_ROWS ? 'queued' : 'sync',
    total: valid.length,
    processed: 0,
    imported: 0,
    skipped: 0,
    failed: invalid.slice(0, MAX_STORED_ROW_ERRORS),
    failedRows: new Set(invalid.map((r) => r.line)).size,
    startedAt: startedAt.toISOString(),
    startedBy: input.actor.sub,
  };
  const publishRows = input.request.publish ?? false;

  if (job.mode === 'queued') {
    const chunks: imports.ImportChunk[] = [];
    for (let i = 0; i < valid.length; i += ROWS_PER_CHUNK) {
      chunks.push({
        jobId: job.jobId,
        chunk: chunks.length + 1,
        status: 'queued',
        publish: publishRows,
        actor: { sub: input.actor.sub, role: input.actor.role, region: input.actor.region },
        correlationId: input.events.correlationId,
        rows: valid.slice(i, i + ROWS_PER_CHUNK),
      });
    }
    job.chunks = chunks.length;
    // The job commits with the first batch of chunks: no job without work, and a later batch
    // that fails leaves a job whose total says how much was queued (see `queued`).
    for (let i = 0, first = true; i < chunks.length; i += first ? CHUNKS_PER_TRANSACTION - 1 : CHUNKS_PER_TRANSACTION, first = false) {
      const batch = chunks.slice(i, i + (first ? CHUNKS_PER_TRANSACTION - 1 : CHUNKS_PER_TRANSACTION));
      await imports.queueImportChunks(batch, batch.map((chunk) => importChunkQueued(chunk, input.events)), first ? job : undefined);
    }
    const { startedBy: _by, ...result } = job;
    return { status: 202 as const, job: result };
  }

  job.ids = [];
  await imports.putImportJob(job);
  const writer: Writer = { actor: input.actor, publish: publishRows, events: input.events, idFor: (_row, at) => newTimeOrderedId('ind', at) };
  for (let i = 0; i < valid.length; i += ROWS_PER_STEP) {
    const counts = await writeStep(valid.slice(i, i + ROWS_PER_STEP), writer, now, job.ids);
    job.processed += counts.processed;
    job.imported += counts.imported;
    job.skipped += counts.skipped;
    await imports.recordImportProgress(job.jobId, job);
  }
  const done = { ...job, status: 'done' as const, finishedAt: now().toISOString() };
  await imports.putImportJob(done);
  const { startedBy: _by, ...result } = done;
  return { status: 200 as const, job: result };
}

/** The importer's entry: writes the chunk an IndicatorImportChunkQueued event names. */
export async function processQueuedChunk(event: ConsumedEvent, regionCode: string): Promise<void> {
  const data = event.data as IndicatorImportChunkQueued['data'];
  await processChunk(data.jobId, data.chunk, regionCode);
}

/** The importer's part: writes one queued chunk, exactly once, and closes the job after the last. */
export async function processChunk(jobId: string, chunkNumber: number, regionCode: string, now: () => Date = () => new Date()): Promise<void> {
  const chunk = await imports.getImportChunk(jobId, chunkNumber);
  if (!chunk) return;
  // A chunk already written may be the last one whose run failed before closing the job (a
  // redelivery after a store failure): close it now; the close is a no-op until every chunk is in.
  if (chunk.status === 'done') return imports.finishImportJob(jobId, now().toISOString());
  const actor = { ...chunk.actor } as Actor;
  const writer: Writer = {
    actor,
    publish: chunk.publish,
    events: { actor: chunk.actor, region: regionCode, correlationId: chunk.correlationId },
    // The same row always gets the same id, so a redelivered chunk finds its rows written.
    idFor: (row) => `ind_${createHash('sha256').update(`${jobId}:${row.line}`).digest('hex').slice(0, 24)}`,
  };
  const counts = await writeStep(chunk.rows, writer, now);
  const progress = await imports.completeImportChunk(jobId, chunkNumber, counts);
  if (progress && progress.processed >= progress.total) await imports.finishImportJob(jobId, now().toISOString());
}

/** Checks codes for a step of rows, then writes the fresh ones in parallel transactions. */
async function writeStep(rows: Row[], writer: Writer, now: () => Date, ids?: NonNullable<imports.ImportJob['ids']>): Promise<Counts> {
  const counts: Counts = { processed: rows.length, imported: 0, skipped: 0 };
  const claimed = await indicators.indicatorIdsByCodes(writer.actor.region, rows.flatMap((r) => (r.draft.code ? [r.draft.code] : [])));
  const fresh: Row[] = [];
  for (const row of rows) {
    const existing = row.draft.code ? claimed.get(row.draft.code) : undefined;
    // A queued row whose code points at its own deterministic id was written by an earlier attempt.
    if (existing && existing !== writer.idFor(row, now())) {
      counts.skipped++;
      ids?.push({ line: row.line, id: existing, ...(row.draft.code ? { code: row.draft.code } : {}) });
    } else fresh.push(row);
  }
  const transactions: Row[][] = [];
  for (let j = 0; j < fresh.length; j += ROWS_PER_TRANSACTION) transactions.push(fresh.slice(j, j + ROWS_PER_TRANSACTION));
  const results = await Promise.all(transactions.map((batch) => writeRows(batch, writer, now)));
  for (const result of results) {
    counts.imported += result.imported.length;
    counts.skipped += result.skipped;
    ids?.push(...result.imported);
  }
  return counts;
}

function build(row: Row, writer: Writer, at: Date) {
  const draft = newIndicator(row.draft, writer.idFor(row, at), writer.actor, at);
  const indicator: Indicator = writer.publish ? publish(draft, writer.actor, at) : draft;
  const items: TransactItem[] = indicators.indicatorCreation(indicator, writer.actor, writer.publish ? revisionOf(indicator) : undefined);
  const events: OutboxEvent[] = writer.publish ? [indicatorPublished(indicator, writer.events)] : [];
  return { indicator, items, events };
}

async function writeRows(rows: Row[], writer: Writer, now: () => Date): Promise<{ imported: { line: number; id: string; code?: string }[]; skipped: number }> {
  const imported: { line: number; id: string; code?: string }[] = [];
  let skipped = 0;
  if (!rows.length) return { imported, skipped };
  const at = now();
  const built = rows.map((row) => ({ row, ...build(row, writer, at) }));
  const record = (b: (typeof built)[number]) => imported.push({ line: b.row.line, id: b.indicator.id, ...(b.indicator.code ? { code: b.indicator.code } : {}) });
  try {
    await indicators.writeTransaction(built.flatMap((b) => b.items), built.flatMap((b) => b.events));
    built.forEach(record);
  } catch (error) {
    if ((error as { name?: string }).name !== 'TransactionCanceledException') throw error;
    // A code was claimed concurrently, or (queued rows) part of the chunk was written by an
    // earlier attempt: write row by row, so only those rows are affected.
    for (const b of built) {
      try {
        await indicators.writeTransaction(b.items, b.events);
        record(b);
      } catch (single) {
        if (conditionFailedAt(single, 0)) record(b); // its deterministic id exists: written before
        else if (conditionFailedAt(single, indicators.CREATION_CODE_INDEX)) skipped++;
        else throw single;
      }
    }
  }
  return { imported, skipped };
}
