/**
 * The summaries view of the accountability service (store/summary-view.ts) on real DynamoDB
 * Local: after a year of lifecycle events for objects of two departments, delivered shuffled,
 * some twice and some at the same moment, the People's Congress report and an assessment read
 * from the view equal the ones recomputed from every summary; a count changed behind the view's
 * back is named by the verification and repaired by the rebuild; objects of a lower-level
 * region file under that region's view; and the same holds over random years of events
 * (test/support/summary-view-property.ts; a larger run in `npm run test:reliability`).
 */
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import accountability from '../../services/accountability/service.ts';
import { computeIndicator, figuresOf } from '../../services/accountability/domain/assessment.ts';
import { foldIntoSummary } from '../../services/accountability/jobs/summaries.ts';
import { allObjectSummaries } from '../../services/accountability/store/summaries.ts';
import { objectFigures } from '../../services/accountability/store/summary-view.ts';
import { rebuildSummaryView, verifySummaryView, viewRegions } from '../../services/accountability/store/summary-view-maintenance.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import type { ConsumedEvent } from '../../shared/consumer.ts';
import { localTable } from '../support/aws-env.ts';
import { checkSummaryViewProperty, lifecycleEvent, reportsToCompare, type TestObject } from '../support/summary-view-property.ts';

const REGION = '360000';
const COUNTY = '360100';
const YEAR = 2044;
let table: string;

beforeAll(async () => {
  table = await localTable('summary-view', accountability.table!);
  Object.assign(process.env, { TABLE_NAME: table, REGION_CODE: REGION });
});

type Obj = Omit<TestObject, 'fiscalYear'>;
const event = (detailType: string, o: Obj, change?: (data: any) => void) => lifecycleEvent(detailType, { ...o, fiscalYear: YEAR }, change);

/** A year of one object: declared and approved (some returned once, one rejected), reported, deviated, evaluated, applied. */
function lifecycle(o: Obj, i: number): ConsumedEvent[] {
  const amount = 100.125 * (i + 1);
  const events = [event('DeclarationSubmitted', o)];
  if (i === 5) return [...events, event('TargetRejected', o, (d) => (d.outcome = 'rejected'))];
  if (i % 3 === 0) events.push(event('TargetRejected', o, (d) => (d.outcome = 'returned')));
  events.push(event('TargetApproved', o, (d) => (d.snapshot.amounts.annualTotalWan = amount)));
  const light = (['green', 'yellow', 'red'] as const)[i % 3]!;
  events.push(event('MonitoringReported', o, (d) => Object.assign(d, { light, reportId: `rpt_${o.id}` })));
  if (light !== 'green') events.push(event('MonitoringDeviation', o, (d) => (d.light = light)));
  if (i % 4 === 1) events.push(event('MonitoringReminderSent', o));
  if (i % 2 === 0) {
    const self = 70 + i * 2.35;
    events.push(event('EvaluationCompleted', o, (d) => Object.assign(d, { kind: 'self', evaluationId: `sev_${o.id}`, totalScore: self, grade: self >= 90 ? 'excellent' : self >= 80 ? 'good' : 'fair' })));
    if (i % 4 === 0) events.push(event('EvaluationCompleted', o, (d) => Object.assign(d, { kind: 'finance_review', evaluationId: `rev_${o.id}`, totalScore: self - 4.5 - i, grade: 'fair' })));
  }
  if (i === 7) {
    events.push(event('EvaluationCompleted', o, (d) => Object.assign(d, { kind: 'key', evaluationId: `key_${o.id}`, totalScore: 58, grade: 'poor', completedAt: `${YEAR + 1}-05-01T00:00:00.000Z` })));
    events.push(event('KeyEvaluationRated', o, (d) => Object.assign(d, { evaluationId: `key_${o.id}`, totalScore: 58, grade: 'poor', satisfaction: 'dissatisfied', ratedBy: 'npc-1', ratedAt: `${YEAR + 1}-06-01T00:00:00.000Z` })));
    events.push(event('BudgetAdjustmentRecommended', o, (d) => Object.assign(d, { kind: 'key', recommendation: 'cut', currentAmountWan: amount, proposedAmountWan: amount * 0.8, proposedAdjustment: -0.2 })));
  }
  return events;
}

/** A deterministic shuffle (the same order on every run, so a failure can be replayed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Delivers the events shuffled, every third one twice, four at a time (the consumer's concurrency). */
async function deliver(events: readonly ConsumedEvent[]): Promise<void> {
  const deliveries = shuffled([...events, ...events.filter((_, i) => i % 3 === 0)], 7);
  for (let i = 0; i < deliveries.length; i += 4) await Promise.all(deliveries.slice(i, i + 4).map(foldIntoSummary));
}

const objects: Obj[] = Array.from({ length: 10 }, (_, i) => ({
  id: `obj_sv${randomUUID().replaceAll('-', '').slice(0, 12)}${i}`,
  department: i % 2 ? 'D-SVB' : 'D-SVA',
  unit: `U-${i % 3}`,
  type: (['project', 'department_overall', 'transfer_payment'] as const)[i % 3]!,
  region: REGION,
}));

const reportFromView = async (region: string) => (await reportsToCompare(region, YEAR)).fromView;
const reportFromSummaries = async (region: string) => (await reportsToCompare(region, YEAR)).fromSummaries;

/** The year's events, kept: the redelivery below sends these again, event ids and all. */
const year = objects.flatMap(lifecycle);

describe('the summaries view', () => {
  beforeAll(async () => {
    await deliver(year);
  }, 120_000);

  it("gives the People's Congress report the recomputation from every summary gives", async () => {
    const fromView = await reportFromView(REGION);
    expect(fromView).toEqual(await reportFromSummaries(REGION));
    // Worked out from the seeded lifecycles: 10 objects, object 5 rejected, 9 approved.
    expect(fromView.targets).toMatchObject({ objects: 10, approved: 9, rejected: 1 });
    const approvedAmount = [0, 1, 2, 3, 4, 6, 7, 8, 9].reduce((sum, i) => sum + 100.125 * (i + 1), 0);
    expect(fromView.targets.amountWan).toBeCloseTo(approvedAmount, 6);
    expect(fromView.keyEvaluations.tally).toMatchObject({ reports: 1, rated: 1, ratings: 1 });
  });

  it("gives a department's assessment figures the recomputation from its summaries gives, the largest review gap included", async () => {
    const summaries = (await allObjectSummaries(REGION, YEAR)).filter((s) => s.department === 'D-SVA');
    const fromView = await objectFigures(REGION, YEAR, 'D-SVA');
    expect(fromView).toEqual(figuresOf({ summaries }));
    // D-SVA holds objects 0, 2, 4, 6, 8; finance reviewed 0, 4 and 8, each 4.5 + i points below the self score.
    expect(computeIndicator('self_evaluation_quality', { figures: fromView })).toMatchObject({ basis: { reviewed: 3, maxGapPoints: 12.5, meanGapPoints: 8.5 } });
  });

  it('is consistent with its sources, and a redelivery of everything changes nothing', async () => {
    expect(await verifySummaryView(REGION, YEAR)).toEqual([]);
    const before = await reportFromView(REGION);
    await deliver(year);
    expect(await reportFromView(REGION)).toEqual(before);
  });

  it('names a count changed behind its back, and the rebuild restores what the sources say', async () => {
    const before = await reportFromView(REGION);
    await documentClient().send(
      new UpdateCommand({ TableName: table, Key: { pk: `VIEW#summaries#${REGION}#${YEAR}`, sk: 'G#D-SVB' }, UpdateExpression: 'ADD n_approved :two', ExpressionAttributeValues: { ':two': 2 } }),
    );
    const approvedInB = before.targets.byDepartment.find((d) => d.department === 'D-SVB')!.approved;
    expect(await verifySummaryView(REGION, YEAR)).toEqual([`group D-SVB: approved is ${approvedInB + 2}, the sources give ${approvedInB}`]);
    await rebuildSummaryView(REGION, YEAR);
    expect(await verifySummaryView(REGION, YEAR)).toEqual([]);
    expect(await reportFromView(REGION)).toEqual(before);
  });

  it("files a lower-level region's objects under that region's view, which the maintenance routes find", async () => {
    const county: Obj = { id: `obj_svc${randomUUID().replaceAll('-', '').slice(0, 12)}`, department: 'D-CTY', unit: 'U-1', type: 'project', region: COUNTY };
    await deliver(lifecycle(county, 1));
    expect(await viewRegions(REGION, YEAR)).toEqual([REGION, COUNTY]);
    expect((await reportFromView(COUNTY)).targets).toMatchObject({ objects: 1, approved: 1 });
    expect((await reportFromView(REGION)).targets.objects).toBe(10);
    expect(await verifySummaryView(COUNTY, YEAR)).toEqual([]);
  });
});

describe('the summaries view over random years of events', () => {
  it('equals the recomputation from the summaries, whatever order the events arrive in, twice or at once', async () => {
    await checkSummaryViewProperty({ runs: 8, objects: 4, eventsPerObject: 8 });
  }, 120_000);
});
