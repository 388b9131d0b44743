/**
 * The model of the load test: every write the API accepted (a 2xx), per record, with the
 * version it produced and who made it. Refusals (409, 412, ...) change nothing here. At the end
 * the final state is read back through the API and compared with what the accepted writes,
 * replayed in version order, must have produced:
 *
 * - the versions of a record's accepted writes are exactly 1..n and the record is at version n
 *   (two accepted writes from one read would share a version: one of them lost);
 * - the content is the last accepted write's (targets, report figures, reviews) or, for
 *   self-evaluations that PATCH parts of a record, the replay of every accepted PATCH;
 * - the declaration history lists every accepted write with its author;
 * - lists hold exactly the records the model created (no phantom, no duplicate), and
 *   idempotent retries created one record.
 */
import { isDeepStrictEqual } from 'node:util';
import type { LoadClient, Reply } from './load-client.ts';

export interface Write {
  version: number;
  kind: string;
  by: string;
  /** What the write set, for the replay. */
  data?: any;
}

abstract class Versioned {
  readonly writes: Write[] = [];
  /** Latest known version and ETag (from the latest accepted write or a read). */
  version = 0;
  etag = '';

  constructor(
    readonly id: string,
    readonly unit: string,
    readonly department: string,
  ) {}

  protected note(version: number, etag: string): void {
    if (version > this.version) {
      this.version = version;
      this.etag = etag;
    }
  }

  /** A read: a newer version someone else wrote (the model learns only the ETag, not the write). */
  seen(version: number, etag: string): void {
    this.note(version, etag);
  }

  accept(write: Write, etag: string): void {
    this.writes.push(write);
    this.note(write.version, etag);
  }

  ordered(): Write[] {
    return [...this.writes].sort((a, b) => a.version - b.version);
  }

  /** Problems with the accepted versions themselves: duplicates or gaps (extra = writes counted elsewhere). */
  versionProblems(finalVersion: number, extra = 0): string[] {
    const versions = this.writes.map((w) => w.version);
    const problems: string[] = [];
    const dup = versions.filter((v, i) => versions.indexOf(v) !== i);
    if (dup.length) problems.push(`${this.id}: two accepted writes produced version(s) ${[...new Set(dup)].join(', ')} (one overwrote the other)`);
    if (finalVersion !== this.writes.length + extra) problems.push(`${this.id}: ${this.writes.length + extra} accepted writes but the record is at version ${finalVersion}`);
    return problems;
  }
}

export class ObjectModel extends Versioned {
  status = 'draft';
  /** Rows of the latest accepted targets (with row ids). */
  rows: { rowId: string; name: string; operator: string; value?: number | string }[] = [];
  /** The latest accepted write that returned the whole object. */
  lastObject: any;

  constructor(
    id: string,
    unit: string,
    department: string,
    readonly fiscalYear: number,
  ) {
    super(id, unit, department);
  }

  acceptObject(kind: string, by: string, reply: Reply): void {
    const body = reply.body;
    this.accept({ version: body.version, kind, by }, reply.headers.get('etag') ?? '');
    if (!this.lastObject || body.version > this.lastObject.version) {
      this.lastObject = body;
      this.status = body.status;
    }
  }

  acceptTargets(by: string, reply: Reply, annual: string): void {
    const version = reply.body.objectVersion as number;
    this.accept({ version, kind: 'targets', by, data: { annual } }, reply.headers.get('etag') ?? '');
    const latest = this.writes.filter((w) => w.kind === 'targets').reduce((a, b) => (b.version > a.version ? b : a));
    if (latest.version === version) this.rows = reply.body.rows;
  }
}

export class ReportModel extends Versioned {
  constructor(
    id: string,
    unit: string,
    department: string,
    readonly objectId: string,
  ) {
    super(id, unit, department);
  }
}

export class SelfModel extends Versioned {
  status = 'draft';
  rowIds: string[] = [];
  /** Actual values and executed amount as created (prefilled). */
  initial: { actual: Record<string, unknown>; executedWan?: number } = { actual: {} };
  /** Samples (accepted) that drew it: each bumps its version. */
  readonly samples: string[] = [];

  constructor(
    id: string,
    unit: string,
    department: string,
    readonly objectId: string,
  ) {
    super(id, unit, department);
  }

  /** Actual values and executed amount after every accepted PATCH, in version order. */
  replay(): { actual: Record<string, unknown>; executedWan?: number } {
    const state = { actual: { ...this.initial.actual }, executedWan: this.initial.executedWan };
    for (const w of this.ordered().filter((x) => x.kind === 'patch')) {
      for (const row of w.data.rows as { rowId: string; actual: unknown }[]) state.actual[row.rowId] = row.actual;
      if (w.data.executedWan !== undefined) state.executedWan = w.data.executedWan;
    }
    return state;
  }

  /** Every row has an actual value and the execution a figure: submit will pass. */
  complete(): boolean {
    const state = this.replay();
    return state.executedWan !== undefined && this.rowIds.every((id) => typeof state.actual[id] === 'number');
  }
}

export interface SampleModel {
  id: string;
  drawn: string[];
  by: string;
}

export class LoadModel {
  readonly objects = new Map<string, ObjectModel>();
  readonly reports = new Map<string, ReportModel>();
  /** By object id (one self-evaluation per object). */
  readonly selves = new Map<string, SelfModel>();
  readonly samples: SampleModel[] = [];
  readonly windows = new Map<string, { id: string; fiscalYear: number }>();
  /** Idempotent creates whose retry answered another id than the first attempt. */
  readonly idempotencyDuplicates: string[] = [];
  /** Idempotent creates sent twice at once (a client retry racing its first attempt). */
  retriedCreates = 0;
  /** Writes accepted, by kind. */
  readonly accepted: Record<string, number> = {};

  count(kind: string): void {
    this.accepted[kind] = (this.accepted[kind] ?? 0) + 1;
  }

  objectsOf(filter: (o: ObjectModel) => boolean): ObjectModel[] {
    return [...this.objects.values()].filter(filter);
  }

  /** The monitoring service's report id of an object in a window. */
  static reportId(windowId: string, objectId: string): string {
    return `rpt_${windowId.slice('win_'.length)}_${objectId.slice('obj_'.length)}`;
  }
}

export interface Verification {
  checked: number;
  lostUpdates: string[];
  duplicates: string[];
  phantoms: string[];
  /** Approved objects that never reached monitoring or evaluation (TargetApproved lost). */
  undelivered: string[];
  approved: number;
}

/** Every page of a list. */
async function allItems(client: LoadClient, path: string, token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await client.call('GET', `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

const same = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

/** Runs `fn` over `items`, `width` at a time. */
export async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Reads the final state back through the API and compares it with the model. */
export async function verify(model: LoadModel, client: LoadClient, finance: string, years: { declared: number }): Promise<Verification> {
  const out: Verification = { checked: 0, lostUpdates: [], duplicates: [...model.idempotencyDuplicates], phantoms: [], undelivered: [], approved: 0 };
  const lost = (message: string) => out.lostUpdates.push(message);

  // Declaration: every object, its targets and its history.
  await pool([...model.objects.values()], 8, async (o) => {
    out.checked++;
    const read = await client.call('GET', `/v1/declaration/objects/${o.id}`, { token: finance });
    if (read.status !== 200) return lost(`${o.id}: read back ${read.status}`);
    const final = read.body;
    out.lostUpdates.push(...o.versionProblems(final.version));
    for (const field of ['status', 'reviews', 'submissions', 'targetVersion', 'lastRejection'] as const) {
      if (!same(final[field], o.lastObject[field])) lost(`${o.id}: ${field} is ${JSON.stringify(final[field])}, the last accepted write left ${JSON.stringify(o.lastObject[field])}`);
    }
    const lastTargets = o.ordered().filter((w) => w.kind === 'targets').at(-1);
    if (lastTargets) {
      const targets = await client.call('GET', `/v1/declaration/objects/${o.id}/targets`, { token: finance });
      if (targets.body?.overallGoal?.annual !== lastTargets.data.annual) {
        lost(`${o.id}: targets say "${targets.body?.overallGoal?.annual}", the last accepted PUT (v${lastTargets.version}) wrote "${lastTargets.data.annual}"`);
      }
    }
    const history = await allItems(client, `/v1/declaration/objects/${o.id}/history`, finance);
    const byVersion = new Map(history.map((h) => [h.version as number, h]));
    if (history.length !== o.writes.length) lost(`${o.id}: history has ${history.length} entries for ${o.writes.length} accepted writes`);
    for (const w of o.writes) {
      const entry = byVersion.get(w.version);
      if (!entry || entry.actor.sub !== w.by) lost(`${o.id}: accepted ${w.kind} v${w.version} by ${w.by} is not in the history (found ${JSON.stringify(entry?.actor)})`);
    }
  });

  // Every object of the declared year, listed once, and none the model does not know.
  const listed = await allItems(client, `/v1/declaration/objects?year=${years.declared}`, finance);
  const ids = listed.map((o) => o.id as string);
  for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) out.duplicates.push(`${id} listed twice`);
  for (const id of ids) if (!model.objects.has(id)) out.phantoms.push(`${id}: in the list, but no accepted create returned it`);
  for (const id of model.objects.keys()) if (!ids.includes(id)) lost(`${id}: created (201) but missing from the year's list`);

  // Monitoring reports: version, revision, figures of the last accepted write, reviews since.
  await pool([...model.reports.values()], 8, async (r) => {
    out.checked++;
    const read = await client.call('GET', `/v1/monitoring/reports/${r.id}`, { token: finance });
    if (read.status !== 200) return lost(`${r.id}: read back ${read.status}`);
    const final = read.body;
    out.lostUpdates.push(...r.versionProblems(final.version));
    const ordered = r.ordered();
    const figures = ordered.filter((w) => w.kind === 'create' || w.kind === 'correct');
    const lastFigures = figures.at(-1);
    if (final.revision !== figures.length) lost(`${r.id}: revision ${final.revision}, ${figures.length} accepted create/corrections`);
    if (lastFigures && final.execution.executedWan !== lastFigures.data.executedWan) {
      lost(`${r.id}: executed ${final.execution.executedWan}, the last accepted write (v${lastFigures.version}) reported ${lastFigures.data.executedWan}`);
    }
    // A correction is reviewed afresh: the reviews are those accepted after the last one.
    const expected = ordered.filter((w) => w.kind === 'review' && w.version > (lastFigures?.version ?? 0)).map((w) => ({ outcome: w.data.outcome, by: w.by }));
    const actual = (final.reviews as { outcome: string; by: string }[]).map((v) => ({ outcome: v.outcome, by: v.by }));
    if (!same(actual, expected)) lost(`${r.id}: reviews ${JSON.stringify(actual)}, accepted ${JSON.stringify(expected)}`);
    if (figures.length > 1) {
      const revisions = await allItems(client, `/v1/monitoring/reports/${r.id}/revisions`, finance);
      if (revisions.length !== figures.length - 1) lost(`${r.id}: ${revisions.length} earlier revisions kept for ${figures.length - 1} accepted corrections`);
    }
  });

  // Self-evaluations: version (samples included), status, the replay of every accepted PATCH, the review.
  const drawnBy = new Map<string, string[]>();
  for (const s of model.samples) for (const id of s.drawn) drawnBy.set(id, [...(drawnBy.get(id) ?? []), s.id]);
  for (const [id, samples] of drawnBy) if (samples.length > 1) out.duplicates.push(`${id} drawn by ${samples.length} samples (${samples.join(', ')})`);
  await pool([...model.selves.values()], 8, async (s) => {
    out.checked++;
    const read = await client.call('GET', `/v1/evaluation/self-evaluations/${s.id}`, { token: finance });
    if (read.status !== 200) return lost(`${s.id}: read back ${read.status}`);
    const final = read.body;
    out.lostUpdates.push(...s.versionProblems(final.version, drawnBy.get(s.id)?.length ?? 0));
    const expected = s.replay();
    const actual = Object.fromEntries((final.rows as { rowId: string; actual?: unknown }[]).map((r) => [r.rowId, r.actual]));
    for (const rowId of s.rowIds) {
      if (!same(actual[rowId], expected.actual[rowId])) lost(`${s.id}: row ${rowId} actual ${JSON.stringify(actual[rowId])}, accepted PATCHes leave ${JSON.stringify(expected.actual[rowId])}`);
    }
    if (final.execution.executedWan !== expected.executedWan) lost(`${s.id}: executed ${final.execution.executedWan}, accepted PATCHes leave ${expected.executedWan}`);
    const kinds = s.writes.map((w) => w.kind);
    const status = kinds.includes('review') ? 'reviewed' : kinds.includes('submit') ? 'submitted' : 'draft';
    if (final.status !== status) lost(`${s.id}: status ${final.status}, accepted writes make it ${status}`);
    const sample = drawnBy.get(s.id)?.[0];
    if ((final.sampleId ?? undefined) !== sample) lost(`${s.id}: sampleId ${final.sampleId}, accepted samples say ${sample}`);
    const review = s.writes.find((w) => w.kind === 'review');
    if (review && (final.review?.by !== review.by || !same(final.review.rows.find((r: { rowId: string }) => r.rowId === review.data.rowId)?.actual, review.data.actual))) {
      lost(`${s.id}: review by ${final.review?.by}, accepted review by ${review.by} with ${JSON.stringify(review.data)}`);
    }
  });

  // Samples as accepted; windows as created.
  for (const sample of model.samples) {
    const read = await client.call('GET', `/v1/evaluation/review-samples/${sample.id}`, { token: finance });
    if (read.status !== 200 || !same(read.body.drawn.map((d: { selfEvaluationId: string }) => d.selfEvaluationId), sample.drawn)) lost(`${sample.id}: read back ${read.status} ${JSON.stringify(read.body?.drawn)}`);
  }
  const windowYears = [...new Set([...model.windows.values()].map((w) => w.fiscalYear))];
  for (const year of windowYears) {
    const listedWindows = (await allItems(client, `/v1/monitoring/windows?year=${year}`, finance)).map((w) => w.id as string);
    const expected = [...model.windows.values()].filter((w) => w.fiscalYear === year).map((w) => w.id);
    for (const id of expected) if (!listedWindows.includes(id)) lost(`${id}: window created (201) but not listed for ${year}`);
    for (const id of listedWindows) if (!model.windows.has(id)) out.phantoms.push(`${id}: window listed but never created`);
    for (const id of new Set(listedWindows.filter((w, i) => listedWindows.indexOf(w) !== i))) out.duplicates.push(`${id}: window listed twice`);
  }

  // Approved objects reached monitoring and evaluation (TargetApproved delivered).
  const approved = model.objectsOf((o) => o.status === 'approved');
  out.approved = approved.length;
  await pool(approved, 8, async (o) => {
    const monitoring = await client.call('GET', `/v1/monitoring/objects/${o.id}`, { token: finance });
    if (monitoring.status !== 200) out.undelivered.push(`${o.id}: approved but not in monitoring (${monitoring.status})`);
  });
  const coverage = await client.call('GET', `/v1/evaluation/coverage?year=${years.declared}`, { token: finance });
  if (coverage.body?.approved !== approved.length) out.undelivered.push(`evaluation coverage counts ${coverage.body?.approved} approved objects of ${years.declared}, the model ${approved.length}`);
  return out;
}
