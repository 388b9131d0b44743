/**
 * The case-opening engine, applied to every declaration, monitoring and evaluation event the
 * ledger receives (after the summaries):
 *
 * - keeps the per-object state the triggers need (store/cases.ts, RSTATE# items): the object's
 *   ref and `continues`, its grades by kind, its monitoring windows (red or not, corrected);
 * - opens a case when a trigger fires (domain/case-triggers.ts) under the year's rules: 差 N
 *   years running through `continues`; execution red N windows running without correction;
 * - orders rectifications when the year's rules ask for one (rules.rectification): a red
 *   deviation, a completed evaluation with one of the listed grades.
 *
 * Case and order ids derive from (trigger, object[, source]), and each is created only if absent,
 * together with its first chained entry and its event: a redelivered event changes nothing.
 */
import type { ConsumedEvent } from '../../../shared/consumer.ts';
import type { EventContext } from '../../../shared/outbox.ts';
import { logger } from '../../../shared/logger.ts';
import { caseOpened, rectificationOrdered } from '../events.ts';
import * as cases from '../store/cases.ts';
import { appendEntry } from '../domain/chain.ts';
import { countingGrade, poorGradeCaseDue, redWindowsCaseDue, type GradeState } from '../domain/case-triggers.ts';
import { triggeredCaseId, type AccountabilityCase, type CaseBasis, type CaseTrigger, type CaseObject } from '../domain/case.ts';
import type { Grade } from '../domain/object-summary.ts';
import { deadlineAfter, triggeredOrderId, type RectificationOrder } from '../domain/rectification.ts';
import { orderOnce } from '../store/rectifications.ts';
import { currentAccountabilityRules } from '../store/rules.ts';

/** Who opens cases and orders on a trigger (the stored `openedBy` / `createdBy`). */
export const ENGINE_ACTOR = 'accountability-rules';
const system = { sub: ENGINE_ACTOR, role: 'system' };

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

const GRADE_LABELS: Record<Grade, string> = { excellent: '优', good: '良', fair: '中', poor: '差' };
const KIND_LABELS = { self: '绩效自评', finance_review: '财政复核', key: '重点绩效评价' } as const;

/** The object an event is about, as cases and orders carry it (events use `type` or `spendingType`). */
export function caseObjectOf(data: unknown): CaseObject | undefined {
  if (!isDict(data)) return undefined;
  const o = isDict(data.object) ? data.object : isDict(data.snapshot) && isDict(data.snapshot.object) ? data.snapshot.object : undefined;
  if (!o || typeof o.id !== 'string') return undefined;
  const type = (o.type ?? o.spendingType) as CaseObject['type'];
  if (typeof type !== 'string' || typeof o.fiscalYear !== 'number' || typeof o.region !== 'string' || typeof o.department !== 'string' || typeof o.unit !== 'string') return undefined;
  return {
    id: o.id,
    type,
    name: typeof o.name === 'string' ? o.name : o.id,
    fiscalYear: o.fiscalYear,
    region: o.region,
    department: o.department,
    unit: o.unit,
    ...(typeof o.continues === 'string' && o.continues ? { continues: o.continues } : {}),
  };
}

const eventContext = (event: ConsumedEvent): EventContext => ({
  actor: { sub: ENGINE_ACTOR, role: 'system', region: event.meta.region },
  region: event.meta.region,
  correlationId: event.meta.correlationId,
  causationId: event.meta.eventId,
});

export async function applyTriggers(event: ConsumedEvent): Promise<void> {
  const object = caseObjectOf(event.data);
  if (!object) return;
  const data = event.data as Dict;
  if (object.continues) await cases.recordSuccessor(object.continues, object.id);
  switch (event.detailType) {
    case 'EvaluationCompleted':
      await cases.recordTrackedObject(object, event.meta.occurredAt);
      await cases.recordTrackedGrade(object.id, data.kind as 'self' | 'finance_review' | 'key', data.grade as Grade, String(data.completedAt));
      await poorGradeTrigger(object, event);
      await evaluationOrder(object, event);
      return;
    case 'MonitoringReported': {
      const execution = isDict(data.execution) ? data.execution : {};
      await cases.recordTrackedObject(object, event.meta.occurredAt);
      await cases.recordWindowFact(object.id, windowOf(data, object), { kind: 'reported', revision: Number(data.revision), red: execution.light === 'red' });
      await redWindowsTrigger(object, event);
      return;
    }
    case 'MonitoringDeviation': {
      const rows = Array.isArray(data.rows) ? (data.rows as Dict[]) : [];
      await cases.recordTrackedObject(object, event.meta.occurredAt);
      if (rows.some((r) => r.kind === 'execution' && r.light === 'red')) {
        await cases.recordWindowFact(object.id, windowOf(data, object), { kind: 'deviation_red' });
        await redWindowsTrigger(object, event);
      }
      if (data.light === 'red') await deviationOrder(object, event);
      return;
    }
    case 'DeviationCorrected':
      await cases.recordTrackedObject(object, event.meta.occurredAt);
      await cases.recordWindowFact(object.id, windowOf(data, object), { kind: 'corrected' });
      return;
    default:
      // Every object the service hears of can be named in a case or an order by hand; declaration events also carry its `continues`.
      await cases.recordTrackedObject(object, event.meta.occurredAt);
  }
}

function windowOf(data: Dict, object: CaseObject): cases.WindowRef {
  const w = isDict(data.window) ? data.window : {};
  return { windowId: String(w.id), label: String(w.label ?? w.id), throughMonth: Number(w.throughMonth), fiscalYear: typeof w.fiscalYear === 'number' ? w.fiscalYear : object.fiscalYear };
}

async function openTriggeredCase(c: AccountabilityCase, event: ConsumedEvent): Promise<void> {
  const first = appendEntry(undefined, { at: c.openedAt, actor: system, type: 'opened', body: { rule: c.rule, subject: c.subject, reason: c.reason, ...(c.object ? { object: c.object } : {}), ...(c.basis ? { basis: c.basis } : {}) } });
  const opened = await cases.openCaseOnce({ ...c, lastSeq: first.seq, lastHash: first.hash }, first, [caseOpened(c, eventContext(event))]);
  if (opened) logger.info('accountability case opened by rule', { caseId: c.id, rule: c.rule, objectId: c.object?.id });
}

function triggeredCase(object: CaseObject, trigger: Exclude<CaseTrigger, 'manual'>, reason: string, basis: CaseBasis): AccountabilityCase {
  const at = new Date().toISOString();
  return {
    id: triggeredCaseId(trigger, object.id),
    version: 1,
    region: object.region,
    fiscalYear: object.fiscalYear,
    rule: trigger,
    subject: object.name,
    object,
    department: object.department,
    reason,
    basis,
    status: 'open',
    openedAt: at,
    openedBy: ENGINE_ACTOR,
    updatedAt: at,
    lastSeq: 0,
    lastHash: '',
  };
}

/** (a) 差 N years running: the object itself, and every successor the event may have completed a run for. */
async function poorGradeTrigger(object: CaseObject, event: ConsumedEvent): Promise<void> {
  const loaded = new Map<string, (GradeState & { object: CaseObject }) | null>();
  const load = async (id: string) => {
    if (!loaded.has(id)) {
      const s = await cases.getTrackedObject(id);
      loaded.set(id, s ? { objectId: id, fiscalYear: s.object.fiscalYear, ...(s.object.continues ? { continues: s.object.continues } : {}), grades: s.grades, object: s.object } : null);
    }
    return loaded.get(id) ?? undefined;
  };
  const maxYears = 10;
  // Candidates: this object and its successors (a late grade of an earlier year can complete a later object's run).
  const candidates: string[] = [object.id];
  let frontier = [object.id];
  for (let depth = 1; depth < maxYears && frontier.length; depth++) {
    const next = (await Promise.all(frontier.map((id) => cases.successorsOf(id)))).flat().filter((id) => !candidates.includes(id));
    candidates.push(...next);
    frontier = next;
  }
  for (const id of candidates) {
    const start = await load(id);
    if (!start || countingGrade(start.grades) !== 'poor') continue;
    const { rules, version } = await currentAccountabilityRules(start.object.region, start.fiscalYear);
    const n = rules.cases.poorGradeYears;
    if (!n) continue;
    // Preload the chain back through `continues` so the pure trigger can look it up.
    let cursor: GradeState | undefined = start;
    for (let i = 1; i < n && cursor?.continues; i++) cursor = await load(cursor.continues);
    const run = poorGradeCaseDue(start, (oid) => loaded.get(oid) ?? undefined, rules);
    if (!run) continue;
    await openTriggeredCase(
      triggeredCase(start.object, 'poor_grade_years', `绩效评价结果连续${run.years.length}年为“差”（${run.years.map((y) => y.fiscalYear).sort().join('、')}年度）`, {
        years: run.years,
        paramsVersion: version,
        eventId: event.meta.eventId,
      }),
      event,
    );
  }
}

/** (b) Execution red N windows running without a correction. */
async function redWindowsTrigger(object: CaseObject, event: ConsumedEvent): Promise<void> {
  const { rules, version } = await currentAccountabilityRules(object.region, object.fiscalYear);
  if (!rules.cases.redWindowsUncorrected) return;
  const run = redWindowsCaseDue(await cases.windowsOf(object.id), rules);
  if (!run) return;
  await openTriggeredCase(
    triggeredCase(object, 'red_windows_uncorrected', `预算执行连续${run.length}个监控期红灯且未纠偏（${run.map((w) => w.label).join('、')}）`, {
      windows: run.map((w) => ({ windowId: w.windowId, label: w.label, throughMonth: w.throughMonth })),
      paramsVersion: version,
      eventId: event.meta.eventId,
    }),
    event,
  );
}

function triggeredOrder(id: string, object: CaseObject, source: RectificationOrder['source'], issue: string, deadlineDays: number, event: ConsumedEvent): RectificationOrder {
  const at = new Date().toISOString();
  return {
    id,
    version: 1,
    region: object.region,
    fiscalYear: object.fiscalYear,
    source,
    object,
    owner: { department: object.department, unit: object.unit },
    issue,
    deadline: deadlineAfter(new Date(event.meta.occurredAt), deadlineDays),
    status: 'open',
    escalationLevel: 0,
    rejections: 0,
    createdAt: at,
    createdBy: ENGINE_ACTOR,
    updatedAt: at,
    lastSeq: 0,
    lastHash: '',
  };
}

async function placeOrder(order: RectificationOrder, event: ConsumedEvent): Promise<void> {
  const first = appendEntry(undefined, {
    at: order.createdAt,
    actor: system,
    type: 'ordered',
    body: { source: order.source, owner: order.owner, issue: order.issue, deadline: order.deadline, ...(order.object ? { object: order.object } : {}) },
  });
  const made = await orderOnce({ ...order, lastSeq: first.seq, lastHash: first.hash }, first, [rectificationOrdered(order, eventContext(event))]);
  if (made) logger.info('rectification ordered by rule', { orderId: order.id, source: order.source.kind, objectId: order.object?.id });
}

async function deviationOrder(object: CaseObject, event: ConsumedEvent): Promise<void> {
  const { rules } = await currentAccountabilityRules(object.region, object.fiscalYear);
  if (!rules.rectification.onRedDeviation) return;
  const data = event.data as Dict;
  const window = windowOf(data, object);
  const rows = (Array.isArray(data.rows) ? (data.rows as Dict[]) : []).filter((r) => r.light === 'red');
  const issue = `${window.label}绩效监控红灯：${rows.map((r) => `${String(r.name)}（${String(r.detail)}）`).join('；') || '偏差严重'}`;
  const reference = `${String(data.reportId)} (${window.label})`;
  await placeOrder(triggeredOrder(triggeredOrderId('deviation', object.id, window.windowId), object, { kind: 'deviation', reference, eventId: event.meta.eventId }, issue, rules.rectification.deadlineDays, event), event);
}

async function evaluationOrder(object: CaseObject, event: ConsumedEvent): Promise<void> {
  const data = event.data as Dict;
  const grade = data.grade as Grade;
  const { rules } = await currentAccountabilityRules(object.region, object.fiscalYear);
  if (!rules.rectification.onGrades.includes(grade)) return;
  const kind = data.kind as keyof typeof KIND_LABELS;
  const evaluationId = String(data.evaluationId);
  const issue = `${KIND_LABELS[kind] ?? '绩效评价'}结果为“${GRADE_LABELS[grade]}”（${String(data.totalScore)}分）`;
  await placeOrder(triggeredOrder(triggeredOrderId('evaluation', object.id, evaluationId), object, { kind: 'evaluation', reference: evaluationId, eventId: event.meta.eventId }, issue, rules.rectification.deadlineDays, event), event);
}
