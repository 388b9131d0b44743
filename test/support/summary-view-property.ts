/**
 * The summaries view (services/accountability/store/summary-view.ts) against its recomputation,
 * for random years of lifecycle events: each object's events (declared, returned or rejected,
 * approved and revised, ex-ante assessed, reported with lights, deviations and corrections, reminders, escalations,
 * evaluations of every kind, key report ratings, recommendations) are delivered in a random order,
 * some twice, some at the same moment, through the ledger's fold (`foldIntoSummary`) on real
 * DynamoDB Local. At the end the view must verify against the summaries, and the People's
 * Congress report and each department's assessment figures read from it must equal the ones
 * recomputed from every summary. A small run is in `npm test`
 * (test/integration/accountability-summary-view.test.ts), a large one in `npm run test:reliability`.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { congressReport, congressReportOf } from '../../services/accountability/domain/congress-report.ts';
import { figuresOf } from '../../services/accountability/domain/assessment.ts';
import { FOLDED_EVENT_TYPES } from '../../services/accountability/domain/object-summary.ts';
import { foldIntoSummary } from '../../services/accountability/jobs/summaries.ts';
import { allObjectSummaries } from '../../services/accountability/store/summaries.ts';
import { departmentCounts, keyReports, objectFigures } from '../../services/accountability/store/summary-view.ts';
import { verifySummaryView } from '../../services/accountability/store/summary-view-maintenance.ts';
import type { ConsumedEvent } from '../../shared/consumer.ts';
import { examples } from '../../events/examples.ts';

export interface TestObject {
  id: string;
  department: string;
  unit: string;
  type: 'project' | 'department_overall' | 'transfer_payment';
  region: string;
  fiscalYear: number;
}

/** One lifecycle event of `o`, from the event catalog's example with the object put in and `change` applied. */
export function lifecycleEvent(detailType: string, o: TestObject, change: (data: any) => void = () => undefined): ConsumedEvent {
  const detail = structuredClone(examples[detailType]) as { meta: any; data: any };
  detail.meta.eventId = randomUUID();
  detail.meta.subject = { ...detail.meta.subject, id: o.id };
  const object = { id: o.id, name: `视图测试${o.id.slice(-4)}`, fiscalYear: o.fiscalYear, region: o.region, department: o.department, unit: o.unit };
  const target = detail.data.snapshot?.object ?? detail.data.object;
  if ('type' in target) Object.assign(target, object, { type: o.type });
  else Object.assign(target, object, { spendingType: o.type });
  change(detail.data);
  return { detailType, source: 'jixiao.test', envelopeId: randomUUID(), time: detail.meta.occurredAt, meta: detail.meta, data: detail.data };
}

const EMPTY_TOTALS = { rectifications: { total: 0, closed: 0, closedOnTime: 0, open: 0, overdue: 0, bySource: {} }, cases: { total: 0, open: 0, decided: 0, closed: 0, byRule: {} } };

/** The report as read from the view, and as recomputed from every summary (rectifications and cases left out: they are not the view's). */
export async function reportsToCompare(region: string, year: number) {
  const byDepartment = await departmentCounts(region, year);
  const fromView = congressReportOf({ region, fiscalYear: year, generatedAt: 'now', byDepartment, keyReports: await keyReports(region, year, byDepartment.keys()), ...EMPTY_TOTALS });
  const fromSummaries = congressReport({ region, fiscalYear: year, generatedAt: 'now', summaries: await allObjectSummaries(region, year), ...EMPTY_TOTALS });
  return { fromView, fromSummaries };
}

const GRADES = ['excellent', 'good', 'fair', 'poor'] as const;
const LIGHTS = ['green', 'yellow', 'red'] as const;
const KINDS = ['self', 'finance_review', 'key'] as const;

/** An event as the generator draws it: its type, and a small number choosing its variant (light, window, score, …). */
// Every type the ledger folds (the catalog's example where no variant is drawn below), so a type
// the fold learns later is generated here too.
const drawn = fc.record({
  type: fc.constantFrom(...FOLDED_EVENT_TYPES),
  n: fc.nat({ max: 5 }),
});

function eventOf(o: TestObject, d: { type: string; n: number }): ConsumedEvent {
  const { n } = d;
  const windowId = `win_p${n % 3}`;
  switch (d.type) {
    case 'TargetRejected':
      return lifecycleEvent(d.type, o, (x) => (x.outcome = n === 5 ? 'rejected' : 'returned'));
    case 'TargetApproved':
    case 'TargetRevised':
      return lifecycleEvent(d.type, o, (x) => {
        x.snapshot.amounts.annualTotalWan = 100.1 * (n + 1);
        x.snapshot.targetVersion = d.type === 'TargetApproved' ? 1 : 1 + n;
      });
    case 'MonitoringReported':
      return lifecycleEvent(d.type, o, (x) => Object.assign(x, { light: LIGHTS[n % 3], revision: 1 + (n % 2), window: { ...x.window, id: windowId, throughMonth: 6 + (n % 3) } }));
    case 'MonitoringDeviation':
      return lifecycleEvent(d.type, o, (x) => Object.assign(x, { light: n % 2 ? 'red' : 'yellow', window: { ...x.window, id: windowId } }));
    case 'DeviationCorrected':
      return lifecycleEvent(d.type, o, (x) => (x.raisedInWindow = windowId));
    case 'EvaluationCompleted': {
      const kind = KINDS[n % 3]!;
      return lifecycleEvent(d.type, o, (x) => Object.assign(x, { kind, evaluationId: `${kind}_${o.id}`, totalScore: 55 + n * 7.35, grade: GRADES[n % 4], completedAt: `${o.fiscalYear + 1}-0${1 + n}-01T00:00:00.000Z` }));
    }
    case 'KeyEvaluationRated':
      return lifecycleEvent(d.type, o, (x) =>
        Object.assign(x, { evaluationId: `key_${o.id}`, totalScore: 62, grade: 'fair', satisfaction: ['satisfied', 'basically_satisfied', 'dissatisfied'][n % 3], ratedBy: `npc-${n % 2}`, ratedAt: `${o.fiscalYear + 1}-06-0${1 + n}T00:00:00.000Z` }),
      );
    case 'BudgetAdjustmentRecommended':
      return lifecycleEvent(d.type, o, (x) => Object.assign(x, { kind: KINDS[n % 3], recommendation: ['priority', 'maintain', 'improve', 'cut', 'cancel'][n % 5], currentAmountWan: 300.3, proposedAmountWan: 300.3 * (1 - n / 10), proposedAdjustment: -n / 10 }));
    default:
      return lifecycleEvent(d.type, o);
  }
}

/** A year: per object, its events; then the order they are delivered in (indexes into all of them, some twice) and how many run at once. */
const year = (objects: number, eventsPerObject: number) =>
  fc
    .array(fc.array(drawn, { minLength: 1, maxLength: eventsPerObject }), { minLength: objects, maxLength: objects })
    .chain((perObject) => {
      const total = perObject.reduce((n, list) => n + list.length, 0);
      return fc.record({
        perObject: fc.constant(perObject),
        order: fc.shuffledSubarray([...Array(total).keys()], { minLength: total, maxLength: total }),
        again: fc.array(fc.nat({ max: total - 1 }), { maxLength: Math.ceil(total / 3) }),
        atOnce: fc.integer({ min: 1, max: 3 }),
      });
    });

export async function checkSummaryViewProperty(options: { runs: number; objects: number; eventsPerObject: number; seed?: number }): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(year(options.objects, options.eventsPerObject), async ({ perObject, order, again, atOnce }) => {
      // A region of its own per run: the run's view and summaries index partitions hold only its objects.
      const region = `3${String(run++ % 100_000).padStart(5, '0')}`;
      const fiscalYear = 2027;
      const objects: TestObject[] = perObject.map((_, i) => ({ id: `obj_pp${randomUUID().replaceAll('-', '').slice(0, 12)}`, department: `D-P${i % 2}`, unit: `U-${i % 3}`, type: (['project', 'department_overall', 'transfer_payment'] as const)[i % 3]!, region, fiscalYear }));
      const events = perObject.flatMap((list, i) => list.map((d) => eventOf(objects[i]!, d)));
      const deliveries = [...order, ...again].map((i) => events[i]!);
      for (let i = 0; i < deliveries.length; i += atOnce) await Promise.all(deliveries.slice(i, i + atOnce).map(foldIntoSummary));

      const problems = await verifySummaryView(region, fiscalYear);
      const { fromView, fromSummaries } = await reportsToCompare(region, fiscalYear);
      if (!isDeepStrictEqual(fromView, fromSummaries)) problems.push(`the report from the view differs from the recomputation:\n${JSON.stringify(fromView)}\n${JSON.stringify(fromSummaries)}`);
      const summaries = await allObjectSummaries(region, fiscalYear);
      for (const department of new Set(objects.map((o) => o.department))) {
        const fromViewFigures = await objectFigures(region, fiscalYear, department);
        const recomputed = figuresOf({ summaries: summaries.filter((s) => s.department === department) });
        if (!isDeepStrictEqual(fromViewFigures, recomputed)) problems.push(`${department}: assessment figures differ: ${JSON.stringify(fromViewFigures)} vs ${JSON.stringify(recomputed)}`);
      }
      if (problems.length) throw new Error(problems.join('\n'));
    }),
    { numRuns: options.runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  );
}

