/**
 * The simulated users of the load test and what they do. Each user has a role and a scope
 * (unit clerks of a unit of a department, department reviewers, finance, supervisors) and
 * loops until the deadline: picks an activity by its role's mix, reads what it needs, thinks
 * between requests (the run's think time: 0–50 ms for the stress load, 2–10 s at a clerk's pace),
 * writes with If-Match. Records are shared on purpose: clerks of one
 * unit edit the same drafts, reports and self-evaluations; reviewers of one department pick the
 * oldest object waiting; and a "burst" sends the same write from two or three colleagues at
 * once with the same ETag, so that at most one may win. Every 2xx goes into the model.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectBody, standardRows } from '../../support/declaration.ts';
import { CONFLICTS, MOVED_ON, etagOf, type Allowed, type LoadClient, type Reply } from './load-client.ts';
import { LoadModel, ObjectModel, ReportModel, SelfModel } from './load-model.ts';

export type Role = 'unit' | 'department' | 'finance' | 'supervisor';

export interface User {
  index: number;
  role: Role;
  sub: string;
  token: string;
  department?: string;
  unit?: string;
  /** Same role and scope (same unit, same department, or finance): the ones who collide. */
  colleagues: User[];
}

export interface LoadContext {
  client: LoadClient;
  model: LoadModel;
  random: () => number;
  deadline: number;
  /** Fiscal year declared, reported and evaluated. */
  year: number;
  /** The monitoring window of that year everyone reports in. */
  windowId: string;
  /** Deliberately contended writes (bursts of colleagues with one ETag). */
  bursts: number;
  /** Activities run, by name. */
  activities: Record<string, number>;
  /** Think time between requests, uniform in [min, max] milliseconds. */
  thinkMs: readonly [min: number, max: number];
}

/** Mulberry32: reproducible choices for a seed (timings are not). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const think = (ctx: LoadContext) => sleep(ctx.thinkMs[0] + Math.floor(ctx.random() * (ctx.thinkMs[1] - ctx.thinkMs[0] + 1)));
const pick = <T>(ctx: LoadContext, items: readonly T[]): T | undefined => (items.length ? items[Math.floor(ctx.random() * items.length)] : undefined);
/** Mostly the oldest waiting (everyone grabs it), sometimes any. */
const pickContended = <T>(ctx: LoadContext, items: readonly T[]): T | undefined => (ctx.random() < 0.6 ? items[0] : pick(ctx, items));

/** The user alone, or with one or two colleagues at once (same ETag): a deliberate conflict. */
function team(ctx: LoadContext, user: User, probability: number): User[] {
  if (!user.colleagues.length || ctx.random() >= probability) return [user];
  const others = [...user.colleagues].sort(() => ctx.random() - 0.5).slice(0, 1 + Math.floor(ctx.random() * 2));
  ctx.bursts++;
  return [user, ...others];
}

const notYetPropagated = (service: string): Allowed => ({
  status: 400,
  problem: 'validation-failed',
  when: (b) => (b?.errors ?? []).some((e: { field: string; message: string }) => e.field === 'body.objectId' && e.message.includes(`have reached ${service}`)),
  why: `the approval (TargetApproved) has not reached ${service} yet: eventual consistency by design`,
});

// ---------- declaring (unit) ----------

let sequence = 0;

async function putTargets(ctx: LoadContext, user: User, o: ObjectModel, etag: string): Promise<Reply | undefined> {
  const annual = `年度目标 ${user.sub} #${++sequence}`;
  const rows = standardRows.map((r, i) => (i === 0 ? { ...r, value: 5000 + Math.floor(ctx.random() * 1000) } : r));
  const r = await ctx.client.call('PUT', `/v1/declaration/objects/${o.id}/targets`, {
    token: user.token,
    headers: { 'if-match': etag },
    body: { overallGoal: { annual }, rows },
    allow: [...CONFLICTS, MOVED_ON],
  });
  if (r.status !== 200) return undefined;
  o.acceptTargets(user.sub, r, annual);
  ctx.model.count('declaration targets');
  return r;
}

async function submitObject(ctx: LoadContext, user: User, o: ObjectModel, etag: string): Promise<void> {
  const r = await ctx.client.call('POST', `/v1/declaration/objects/${o.id}/submit`, { token: user.token, headers: { 'if-match': etag }, allow: [...CONFLICTS, MOVED_ON] });
  if (r.status !== 200) return;
  o.acceptObject('submit', user.sub, r);
  ctx.model.count('declaration submit');
}

async function declare(ctx: LoadContext, user: User): Promise<void> {
  const body = projectBody(ctx.year, { name: `负载测试项目 ${user.sub} #${++sequence}` });
  let created: Reply;
  if (ctx.random() < 0.3) {
    // A client retry racing its first attempt: one object, both answered with it.
    const headers = { 'idempotency-key': randomUUID() };
    const [a, b] = await Promise.all([0, 1].map(() => ctx.client.call('POST', '/v1/declaration/objects', { token: user.token, body, headers }))) as [Reply, Reply];
    if (a.status === 201 && b.status === 201 && a.body.id !== b.body.id) ctx.model.idempotencyDuplicates.push(`${a.body.id} and ${b.body.id} from one Idempotency-Key`);
    created = a.status === 201 ? a : b;
    ctx.model.retriedCreates++;
  } else {
    created = await ctx.client.call('POST', '/v1/declaration/objects', { token: user.token, body });
  }
  if (created.status !== 201) return;
  const o = new ObjectModel(created.body.id, user.unit as string, user.department as string, ctx.year);
  o.acceptObject('create', user.sub, created);
  ctx.model.objects.set(o.id, o);
  ctx.model.count('declaration create');
  await think(ctx);
  const put = await putTargets(ctx, user, o, etagOf(created));
  // Some drafts are left for a colleague of the unit to finish (edit draft).
  if (!put || ctx.random() < 0.35) return;
  await think(ctx);
  await submitObject(ctx, user, o, etagOf(put));
}

/** Clerks of one unit working on the same draft (or a returned one). */
async function editDraft(ctx: LoadContext, user: User): Promise<boolean> {
  const o = pick(ctx, ctx.model.objectsOf((x) => x.unit === user.unit && (x.status === 'draft' || x.status === 'returned')));
  if (!o) return false;
  const read = await ctx.client.call('GET', `/v1/declaration/objects/${o.id}`, { token: user.token });
  if (read.status !== 200) return true;
  o.seen(read.body.version, etagOf(read));
  if (read.body.status !== 'draft' && read.body.status !== 'returned') return true;
  await think(ctx);
  const members = team(ctx, user, 0.35);
  const puts = await Promise.all(members.map((m) => putTargets(ctx, m, o, etagOf(read))));
  const mine = puts[0];
  if (mine && ctx.random() < 0.5) {
    await think(ctx);
    await submitObject(ctx, user, o, etagOf(mine));
  }
  return true;
}

// ---------- reviewing (department, finance) ----------

const GRADES: Record<'department' | 'finance', [string, number][]> = {
  department: [['excellent', 0.7], ['good', 0.15], ['fair', 0.1], ['poor', 0.05]],
  finance: [['excellent', 0.85], ['good', 0.05], ['fair', 0.07], ['poor', 0.03]],
};

function grade(ctx: LoadContext, stage: 'department' | 'finance'): string {
  let x = ctx.random();
  for (const [g, p] of GRADES[stage]) {
    if (x < p) return g;
    x -= p;
  }
  return 'excellent';
}

async function reviewDeclaration(ctx: LoadContext, user: User): Promise<boolean> {
  const stage = user.role === 'finance' ? 'finance' : 'department';
  const waiting = ctx.model.objectsOf((x) => x.status === `${stage}_review` && (stage === 'finance' || x.department === user.department));
  const o = pickContended(ctx, waiting);
  if (!o) return false;
  const read = await ctx.client.call('GET', `/v1/declaration/objects/${o.id}`, { token: user.token });
  if (read.status !== 200) return true;
  o.seen(read.body.version, etagOf(read));
  if (read.body.status !== `${stage}_review`) return true;
  await think(ctx);
  await Promise.all(
    team(ctx, user, 0.4).map(async (m) => {
      const g = grade(ctx, stage);
      const body = { grade: g, ...(g === 'excellent' ? {} : { comments: `${m.sub}: 请按意见修改 (${g})` }) };
      const r = await ctx.client.call('POST', `/v1/declaration/objects/${o.id}/reviews`, { token: m.token, headers: { 'if-match': etagOf(read) }, body, allow: [...CONFLICTS, MOVED_ON] });
      if (r.status !== 200) return;
      o.acceptObject('review', m.sub, r);
      ctx.model.count(`declaration ${stage} review`);
    }),
  );
  return true;
}

// ---------- reporting (unit files, department and finance review) ----------

function reportInput(ctx: LoadContext, rows: { rowId: string; target?: number | string }[]) {
  return {
    executedWan: 100 + Math.floor(ctx.random() * 700),
    expectedFullYearWan: 790,
    indicators: rows.map((r) => ({ rowId: r.rowId, ...(typeof r.target === 'number' ? { valueToDate: r.target, forecast: r.target } : {}), likelihood: 'certain' })),
  };
}

async function report(ctx: LoadContext, user: User): Promise<boolean> {
  const o = pick(ctx, ctx.model.objectsOf((x) => x.unit === user.unit && x.status === 'approved'));
  if (!o) return false;
  const id = LoadModel.reportId(ctx.windowId, o.id);
  const existing = ctx.model.reports.get(id);
  if (!existing) {
    // The form, pre-filled from the approved targets (404 until the approval reaches monitoring).
    const draft = await ctx.client.call('GET', `/v1/monitoring/report-drafts?windowId=${ctx.windowId}&objectId=${o.id}`, {
      token: user.token,
      allow: [{ status: 404, problem: 'not-found', why: 'the approval (TargetApproved) has not reached monitoring yet: eventual consistency by design' }],
    });
    if (draft.status !== 200) return true;
    await think(ctx);
    await Promise.all(
      team(ctx, user, 0.3).map(async (m) => {
        const input = reportInput(ctx, draft.body.rows);
        const r = await ctx.client.call('POST', '/v1/monitoring/reports', {
          token: m.token,
          body: { windowId: ctx.windowId, objectId: o.id, ...input },
          allow: [{ status: 409, problem: 'report-exists', why: 'a colleague filed this report first' }, ...CONFLICTS],
        });
        if (r.status !== 201) return;
        const model = ctx.model.reports.get(r.body.id) ?? new ReportModel(r.body.id, o.unit, o.department, o.id);
        ctx.model.reports.set(model.id, model);
        model.accept({ version: r.body.version, kind: 'create', by: m.sub, data: { executedWan: input.executedWan } }, etagOf(r));
        ctx.model.count('monitoring report create');
      }),
    );
    return true;
  }
  const read = await ctx.client.call('GET', `/v1/monitoring/reports/${existing.id}`, { token: user.token });
  if (read.status !== 200) return true;
  existing.seen(read.body.version, etagOf(read));
  await think(ctx);
  const rows = (read.body.indicators as { rowId: string; forecast?: number | string }[]).map((i) => ({ rowId: i.rowId, ...(i.forecast !== undefined ? { target: i.forecast } : {}) }));
  await Promise.all(
    team(ctx, user, 0.3).map(async (m) => {
      const input = reportInput(ctx, rows);
      const r = await ctx.client.call('PUT', `/v1/monitoring/reports/${existing.id}`, { token: m.token, headers: { 'if-match': etagOf(read) }, body: input, allow: CONFLICTS });
      if (r.status !== 200) return;
      existing.accept({ version: r.body.version, kind: 'correct', by: m.sub, data: { executedWan: input.executedWan } }, etagOf(r));
      ctx.model.count('monitoring report correct');
    }),
  );
  return true;
}

async function reviewReport(ctx: LoadContext, user: User): Promise<boolean> {
  const mine = [...ctx.model.reports.values()].filter((r) => user.role === 'finance' || r.department === user.department);
  const target = pickContended(ctx, mine.reverse());
  if (!target) return false;
  const read = await ctx.client.call('GET', `/v1/monitoring/reports/${target.id}`, { token: user.token });
  if (read.status !== 200) return true;
  target.seen(read.body.version, etagOf(read));
  await think(ctx);
  await Promise.all(
    team(ctx, user, 0.3).map(async (m) => {
      const x = ctx.random();
      const outcome = x < 0.7 ? 'pass' : x < 0.85 ? 'fail' : 'refer_experts';
      const body = { outcome, ...(outcome === 'pass' ? {} : { comments: `${m.sub}: 进度数据需核实` }) };
      const r = await ctx.client.call('POST', `/v1/monitoring/reports/${target.id}/reviews`, { token: m.token, headers: { 'if-match': etagOf(read) }, body, allow: CONFLICTS });
      if (r.status !== 200) return;
      target.accept({ version: r.body.version, kind: 'review', by: m.sub, data: { outcome } }, etagOf(r));
      ctx.model.count('monitoring report review');
    }),
  );
  return true;
}

// ---------- evaluating (unit self-evaluation, finance samples and reviews) ----------

const targetNumber = (target: string | undefined) => Number(/[\d.]+/.exec(target ?? '')?.[0] ?? 100);

async function evaluate(ctx: LoadContext, user: User): Promise<boolean> {
  const o = pick(ctx, ctx.model.objectsOf((x) => x.unit === user.unit && x.status === 'approved'));
  if (!o) return false;
  const s = ctx.model.selves.get(o.id);
  if (!s) {
    await Promise.all(
      team(ctx, user, 0.3).map(async (m) => {
        const r = await ctx.client.call('POST', '/v1/evaluation/self-evaluations', {
          token: m.token,
          body: { objectId: o.id },
          allow: [{ status: 409, problem: 'already-started', why: 'a colleague started this self-evaluation first' }, notYetPropagated('evaluation')],
        });
        if (r.status !== 201) return;
        const model = ctx.model.selves.get(o.id) ?? new SelfModel(r.body.id, o.unit, o.department, o.id);
        if (!ctx.model.selves.has(o.id)) {
          model.rowIds = r.body.rows.map((x: { rowId: string }) => x.rowId);
          model.initial = { actual: Object.fromEntries(r.body.rows.map((x: { rowId: string; actual?: unknown }) => [x.rowId, x.actual])), executedWan: r.body.execution.executedWan };
          ctx.model.selves.set(o.id, model);
        }
        model.accept({ version: r.body.version, kind: 'create', by: m.sub }, etagOf(r));
        ctx.model.count('self-evaluation create');
      }),
    );
    return true;
  }
  if (s.status !== 'draft') return false;
  const read = await ctx.client.call('GET', `/v1/evaluation/self-evaluations/${s.id}`, { token: user.token });
  if (read.status !== 200) return true;
  s.seen(read.body.version, etagOf(read));
  if (read.body.status !== 'draft') return true;
  await think(ctx);
  if (s.complete() && ctx.random() < 0.5) {
    const r = await ctx.client.call('POST', `/v1/evaluation/self-evaluations/${s.id}/submit`, { token: user.token, headers: { 'if-match': etagOf(read) }, allow: [...CONFLICTS, MOVED_ON] });
    if (r.status === 200) {
      s.accept({ version: r.body.version, kind: 'submit', by: user.sub }, etagOf(r));
      s.status = 'submitted';
      ctx.model.count('self-evaluation submit');
    }
    return true;
  }
  const targets = new Map((read.body.rows as { rowId: string; target?: string }[]).map((r) => [r.rowId, targetNumber(r.target)]));
  await Promise.all(
    team(ctx, user, 0.4).map(async (m) => {
      const rows = [...s.rowIds]
        .sort(() => ctx.random() - 0.5)
        .slice(0, 1 + Math.floor(ctx.random() * 3))
        .map((rowId) => ({ rowId, actual: Math.round((targets.get(rowId) ?? 100) * (0.5 + ctx.random() * 0.6)) }));
      const executedWan = ctx.random() < 0.6 ? 400 + Math.floor(ctx.random() * 400) : undefined;
      const body = { rows, ...(executedWan !== undefined ? { executedWan } : {}) };
      const r = await ctx.client.call('PATCH', `/v1/evaluation/self-evaluations/${s.id}`, { token: m.token, headers: { 'if-match': etagOf(read) }, body, allow: [...CONFLICTS, MOVED_ON] });
      if (r.status !== 200) return;
      s.accept({ version: r.body.version, kind: 'patch', by: m.sub, data: body }, etagOf(r));
      ctx.model.count('self-evaluation patch');
    }),
  );
  return true;
}

async function drawSample(ctx: LoadContext, user: User): Promise<boolean> {
  const r = await ctx.client.call('POST', '/v1/evaluation/review-samples', {
    token: user.token,
    body: { fiscalYear: ctx.year, size: 1 + Math.floor(ctx.random() * 2), seed: `负载抽样-${user.sub}-${++sequence}` },
    allow: [{ status: 409, problem: 'concurrent-update', why: 'a drawn self-evaluation changed while the sample was drawn (another sample or a review)' }],
  });
  if (r.status !== 201) return true;
  ctx.model.samples.push({ id: r.body.id, drawn: r.body.drawn.map((d: { selfEvaluationId: string }) => d.selfEvaluationId), by: user.sub });
  ctx.model.count('review sample');
  return true;
}

async function financeReview(ctx: LoadContext, user: User): Promise<boolean> {
  const sampled = new Set(ctx.model.samples.flatMap((s) => s.drawn));
  const submitted = [...ctx.model.selves.values()].filter((s) => s.status === 'submitted').sort((a, b) => Number(sampled.has(b.id)) - Number(sampled.has(a.id)));
  const s = pickContended(ctx, submitted);
  if (!s) return false;
  const read = await ctx.client.call('GET', `/v1/evaluation/self-evaluations/${s.id}`, { token: user.token });
  if (read.status !== 200) return true;
  s.seen(read.body.version, etagOf(read));
  if (read.body.status !== 'submitted') return true;
  await think(ctx);
  await Promise.all(
    team(ctx, user, 0.4).map(async (m) => {
      const row = read.body.rows[Math.floor(ctx.random() * read.body.rows.length)] as { rowId: string; target?: string };
      const actual = Math.round(targetNumber(row.target) * (0.5 + ctx.random() * 0.6));
      const body = { rows: [{ rowId: row.rowId, actual }], comments: `${m.sub} 复核` };
      const r = await ctx.client.call('POST', `/v1/evaluation/self-evaluations/${s.id}/finance-review`, { token: m.token, headers: { 'if-match': etagOf(read) }, body, allow: [...CONFLICTS, MOVED_ON] });
      if (r.status !== 200) return;
      s.accept({ version: r.body.version, kind: 'review', by: m.sub, data: { rowId: row.rowId, actual } }, etagOf(r));
      s.status = 'reviewed';
      ctx.model.count('self-evaluation finance review');
    }),
  );
  return true;
}

async function openWindow(ctx: LoadContext, user: User): Promise<boolean> {
  // Windows of later years: the reporting year's window stays the latest one.
  const fiscalYear = ctx.year + 1 + Math.floor(ctx.random() * 3);
  const body = { fiscalYear, throughMonth: 1 + Math.floor(ctx.random() * 12), dueDate: `${fiscalYear}-12-31`, scope: { kind: 'all' } };
  const headers = { 'idempotency-key': randomUUID() };
  const tries = ctx.random() < 0.3 ? 2 : 1;
  const replies = await Promise.all(Array.from({ length: tries }, () => ctx.client.call('POST', '/v1/monitoring/windows', { token: user.token, body, headers })));
  const ids = [...new Set(replies.filter((r) => r.status === 201).map((r) => r.body.id as string))];
  if (ids.length > 1) ctx.model.idempotencyDuplicates.push(`windows ${ids.join(', ')} from one Idempotency-Key`);
  for (const id of ids) ctx.model.windows.set(id, { id, fiscalYear });
  if (ids.length) ctx.model.count('monitoring window');
  return true;
}

// ---------- reading ----------

async function browse(ctx: LoadContext, user: User): Promise<boolean> {
  const x = ctx.random();
  const visible = (o: ObjectModel) => (user.role === 'unit' ? o.unit === user.unit : user.role === 'department' ? o.department === user.department : true);
  const approved = ctx.model.objectsOf((o) => o.status === 'approved' && visible(o));
  if (x < 0.3) {
    await ctx.client.call('GET', `/v1/declaration/objects?year=${ctx.year}&limit=50`, { token: user.token });
  } else if (x < 0.55 && user.role !== 'unit') {
    await ctx.client.call('GET', `/v1/monitoring/dashboards/windows/${ctx.windowId}`, { token: user.token });
  } else if (x < 0.75 && user.role !== 'unit') {
    await ctx.client.call('GET', `/v1/evaluation/coverage?year=${ctx.year}`, { token: user.token });
  } else {
    const o = pick(ctx, approved);
    if (!o) return false;
    await ctx.client.call('GET', `/v1/monitoring/objects/${o.id}`, {
      token: user.token,
      allow: [{ status: 404, problem: 'not-found', why: 'the approval (TargetApproved) has not reached monitoring yet: eventual consistency by design' }],
    });
  }
  return true;
}

// ---------- the mix ----------

type Activity = (ctx: LoadContext, user: User) => Promise<boolean>;
const MIX: Record<Role, [string, Activity, number][]> = {
  unit: [
    ['declare', async (c, u) => (await declare(c, u), true), 0.22],
    ['edit draft', editDraft, 0.13],
    ['report', report, 0.25],
    ['evaluate', evaluate, 0.32],
    ['browse', browse, 0.08],
  ],
  department: [
    ['review declaration', reviewDeclaration, 0.6],
    ['review report', reviewReport, 0.25],
    ['browse', browse, 0.15],
  ],
  finance: [
    ['review declaration', reviewDeclaration, 0.4],
    ['review report', reviewReport, 0.12],
    ['draw sample', drawSample, 0.08],
    ['finance review', financeReview, 0.2],
    ['open window', openWindow, 0.05],
    ['browse', browse, 0.15],
  ],
  supervisor: [['browse', browse, 1]],
};

function choose(ctx: LoadContext, role: Role): [string, Activity] {
  let x = ctx.random();
  for (const [name, fn, p] of MIX[role]) {
    if (x < p) return [name, fn];
    x -= p;
  }
  const last = MIX[role].at(-1)!;
  return [last[0], last[1]];
}

/** One user's session until the deadline. */
export async function runUser(ctx: LoadContext, user: User): Promise<void> {
  // Users do not all log in at the same millisecond: spread over 200 ms, or over one think time at a clerk's pace.
  await sleep(Math.floor(ctx.random() * Math.max(200, ctx.thinkMs[1])));
  while (Date.now() < ctx.deadline) {
    const [name, activity] = choose(ctx, user.role);
    const did = await activity(ctx, user);
    if (did) ctx.activities[name] = (ctx.activities[name] ?? 0) + 1;
    await think(ctx);
  }
}
