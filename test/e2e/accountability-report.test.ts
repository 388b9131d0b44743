/**
 * The People's Congress report end to end on the local runtime: a year of lifecycle events for
 * objects of three departments and all three spending types is published on the bus (plus a
 * rectification and a case opened by hand); once the ledger has folded them, the JSON report's
 * totals are checked against sums computed here from the seeded data, and the HTML page is
 * rendered in headless Chromium, saved as test-results/congress-report-<year>.png, and its
 * rendered text checked for the same totals.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../../events/examples.ts';
import { renderHtml, RESULTS_DIR } from '../support/chromium.ts';
import { bootRuntime, eventually, type TestRuntime } from '../support/runtime.ts';

const YEAR = 2034;
let rt: TestRuntime;
let finance: string;
let supervisor: string;
let department: string;
let doc: DynamoDBDocumentClient;

type Type = 'project' | 'department_overall' | 'transfer_payment';
type Grade = 'excellent' | 'good' | 'fair' | 'poor';

/** The seeded year, as plain data: every expected total below is computed from this. */
interface Seed {
  id: string;
  department: string;
  type: Type;
  /** Annual total of each approved version, in order (none: never approved). */
  versions: number[];
  rejected?: boolean;
  /** Monitoring reports: month and light. */
  reports: { month: number; light: 'green' | 'yellow' | 'red' }[];
  deviations: { window: string; light: 'yellow' | 'red' }[];
  corrected: string[];
  pause?: boolean;
  evaluations: { kind: 'self' | 'finance_review' | 'key'; score: number; grade: Grade }[];
  application?: { recommendation: 'priority' | 'maintain' | 'improve' | 'cut' | 'cancel'; current: number; proposed: number };
}

const id = () => `obj_rpt${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const seeds: Seed[] = [
  {
    id: id(), department: 'D-RPA', type: 'project', versions: [800.25],
    reports: [{ month: 6, light: 'yellow' }, { month: 9, light: 'green' }], deviations: [{ window: 'win_rpt06', light: 'yellow' }], corrected: ['win_rpt06'],
    evaluations: [{ kind: 'self', score: 88, grade: 'good' }], application: { recommendation: 'maintain', current: 800.25, proposed: 800.25 },
  },
  {
    id: id(), department: 'D-RPA', type: 'department_overall', versions: [1200, 1234.56],
    reports: [{ month: 6, light: 'red' }], deviations: [{ window: 'win_rpt06b', light: 'red' }], corrected: [],
    evaluations: [{ kind: 'self', score: 95, grade: 'excellent' }, { kind: 'key', score: 55, grade: 'poor' }], application: { recommendation: 'cut', current: 1234.56, proposed: 987.648 },
  },
  {
    id: id(), department: 'D-RPB', type: 'transfer_payment', versions: [300.3],
    reports: [{ month: 6, light: 'red' }, { month: 9, light: 'red' }], deviations: [{ window: 'win_rpt06c', light: 'red' }, { window: 'win_rpt09c', light: 'red' }], corrected: [], pause: true,
    evaluations: [{ kind: 'self', score: 72, grade: 'fair' }, { kind: 'finance_review', score: 65, grade: 'fair' }], application: { recommendation: 'improve', current: 300.3, proposed: 300.3 },
  },
  { id: id(), department: 'D-RPB', type: 'project', versions: [], rejected: true, reports: [], deviations: [], corrected: [], evaluations: [] },
  {
    id: id(), department: 'D-RPC', type: 'project', versions: [0.1],
    reports: [{ month: 9, light: 'green' }], deviations: [], corrected: [],
    evaluations: [{ kind: 'self', score: 93, grade: 'excellent' }], application: { recommendation: 'priority', current: 0.1, proposed: 0.11 },
  },
  { id: id(), department: 'D-RPC', type: 'project', versions: [50.05], reports: [], deviations: [], corrected: [], evaluations: [] },
];

let clock = Date.parse(`${YEAR - 1}-11-01T00:00:00.000Z`);
const counts: Record<string, number> = {};

function event(detailType: string, s: Seed, change: (data: any) => void = () => undefined) {
  const detail = structuredClone(examples[detailType]) as { meta: any; data: any };
  clock += 3_600_000;
  detail.meta.eventId = randomUUID();
  detail.meta.occurredAt = new Date(clock).toISOString();
  detail.meta.subject = { type: s.type, id: s.id };
  const ref = { id: s.id, name: `人大报告测试 ${s.department} ${s.type}`, fiscalYear: YEAR, region: '360000', department: s.department, unit: `${s.department}-U1` };
  if (detail.data.snapshot) detail.data.snapshot.object = { ...detail.data.snapshot.object, ...ref, spendingType: s.type };
  if (detail.data.object) detail.data.object = { ...detail.data.object, ...ref, ...('spendingType' in detail.data.object ? { spendingType: s.type } : { type: s.type }) };
  if (detail.data.window) detail.data.window.fiscalYear = YEAR;
  change(detail.data);
  counts[s.id] = (counts[s.id] ?? 0) + 1;
  const source = `jixiao.${detailType.startsWith('Evaluation') || detailType === 'BudgetAdjustmentRecommended' ? 'evaluation' : /Monitoring|Deviation|FundingPause/.test(detailType) ? 'monitoring' : 'declaration'}`;
  return { version: '0' as const, id: randomUUID(), 'detail-type': detailType, source, account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail };
}

function eventsOf(s: Seed) {
  const out = [event('DeclarationSubmitted', s)];
  if (s.rejected) out.push(event('TargetRejected', s, (d) => (d.outcome = 'rejected')));
  s.versions.forEach((amount, i) =>
    out.push(
      event(i === 0 ? 'TargetApproved' : 'TargetRevised', s, (d) => {
        d.snapshot.targetVersion = i + 1;
        d.snapshot.amounts = { annualTotalWan: amount, fiscalWan: amount, otherWan: 0 };
        if (i > 0) d.previousTargetVersion = i;
      }),
    ),
  );
  for (const r of s.reports)
    out.push(
      event('MonitoringReported', s, (d) => {
        d.window = { ...d.window, id: `win_rpt${String(r.month).padStart(2, '0')}_${s.id.slice(-4)}`, throughMonth: r.month, label: `1~${r.month}月` };
        d.revision = 1;
        d.light = r.light;
      }),
    );
  for (const v of s.deviations)
    out.push(
      event('MonitoringDeviation', s, (d) => {
        d.window = { ...d.window, id: v.window };
        d.light = v.light;
      }),
    );
  for (const w of s.corrected) out.push(event('DeviationCorrected', s, (d) => (d.raisedInWindow = w)));
  if (s.pause) out.push(event('FundingPauseRecommended', s));
  for (const e of s.evaluations)
    out.push(
      event('EvaluationCompleted', s, (d) => {
        d.kind = e.kind;
        d.totalScore = e.score;
        d.grade = e.grade;
        d.evaluationId = `evl_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      }),
    );
  if (s.application)
    out.push(
      event('BudgetAdjustmentRecommended', s, (d) => {
        d.kind = s.evaluations.at(-1)?.kind ?? 'self';
        d.recommendation = s.application!.recommendation;
        d.currentAmountWan = s.application!.current;
        d.proposedAmountWan = s.application!.proposed;
        d.proposedAdjustment = Math.round((s.application!.proposed / s.application!.current - 1) * 100) / 100;
      }),
    );
  return out;
}

async function folded(s: Seed): Promise<boolean> {
  const { Item } = await doc.send(new GetCommand({ TableName: rt.tables.accountability, Key: { pk: `SUM#${s.id}`, sk: 'SUMMARY' }, ConsistentRead: true }));
  return ((Item?.eventIds as string[] | undefined)?.length ?? 0) === counts[s.id];
}

async function all(path: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const r = await rt.call('GET', `${path}&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: finance });
    expect(r.status, path).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  rt = await bootRuntime();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  finance = await rt.token({ role: 'finance', sub: 'rpt-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'rpt-npc-1' });
  department = await rt.token({ role: 'department', department: 'D-RPA', sub: 'rpt-dept-a' });
  await rt.bus.publish(seeds.flatMap(eventsOf));
  await eventually(async () => ((await Promise.all(seeds.map(folded))).every(Boolean) ? true : undefined), 60_000, 100);
  // By hand (once the objects are known): an audit finding's rectification order and a supervisor's case.
  const order = await rt.call('POST', '/v1/accountability/rectifications', {
    token: finance,
    headers: { 'idempotency-key': `rpt-${randomUUID()}` },
    body: { source: { kind: 'audit', reference: '审计报告〔2034〕1号' }, objectId: seeds[0]!.id, issue: '资金拨付滞后' },
  });
  expect(order.status, JSON.stringify(order.body)).toBe(201);
  const opened = await rt.call('POST', '/v1/accountability/cases', {
    token: supervisor,
    headers: { 'idempotency-key': `rpt-${randomUUID()}` },
    body: { objectId: seeds[2]!.id, reason: '转移支付连续亮红灯' },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
}, 240_000);

afterAll(async () => {
  await rt?.stop();
});

// ---------- what the seeded data says ----------

const approved = seeds.filter((s) => s.versions.length);
const amount = (s: Seed) => s.versions.at(-1) ?? 0;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const finalOf = (s: Seed) => s.evaluations.find((e) => e.kind === 'key') ?? s.evaluations.find((e) => e.kind === 'finance_review') ?? s.evaluations.find((e) => e.kind === 'self');
const lastLight = (s: Seed) => [...s.reports].sort((a, b) => a.month - b.month).at(-1)?.light;
const departments = [...new Set(seeds.map((s) => s.department))].sort();

describe("the People's Congress report", () => {
  let report: any;

  it('is for finance and supervisors only', async () => {
    expect((await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: department })).status).toBe(403);
    expect((await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`)).status).toBe(401);
    expect((await rt.call('GET', `/v1/accountability/reports/congress/nineteen`, { token: finance })).status).toBe(400);
    const r = await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: supervisor });
    expect(r.status).toBe(200);
    report = (await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: finance })).body;
    expect(report).toMatchObject({ region: '360000', fiscalYear: YEAR });
  });

  it('totals the targets by type and department as seeded', () => {
    expect(report.targets).toMatchObject({ objects: seeds.length, approved: approved.length, rejected: seeds.filter((s) => s.rejected).length, revised: seeds.filter((s) => s.versions.length > 1).length });
    expect(report.targets.amountWan).toBeCloseTo(sum(approved.map(amount)), 6);
    expect(report.targets.amountWan).toBeCloseTo(2385.26, 6);
    expect(report.targets.byDepartment.map((d: any) => d.department)).toEqual(departments);
    for (const d of report.targets.byDepartment) {
      const of = seeds.filter((s) => s.department === d.department);
      expect(d.objects).toBe(of.length);
      expect(d.approved).toBe(of.filter((s) => s.versions.length).length);
      expect(d.amountWan).toBeCloseTo(sum(of.map(amount)), 6);
    }
    for (const t of report.targets.byType) {
      const of = seeds.filter((s) => s.type === t.type);
      expect([t.objects, t.approved]).toEqual([of.length, of.filter((s) => s.versions.length).length]);
      expect(t.amountWan).toBeCloseTo(sum(of.map(amount)), 6);
    }
    expect(report.targets.byType.map((t: any) => t.type).sort()).toEqual(['department_overall', 'project', 'transfer_payment']);
  });

  it('totals monitoring: reports, last lights, deviations, corrections and funding pauses', () => {
    const lights = { green: 0, yellow: 0, red: 0 };
    for (const s of seeds) if (lastLight(s)) lights[lastLight(s)!]++;
    expect(report.monitoring).toMatchObject({
      reports: sum(seeds.map((s) => s.reports.length)),
      objectsReported: seeds.filter((s) => s.reports.length).length,
      lights,
      deviations: sum(seeds.map((s) => s.deviations.length)),
      redDeviations: sum(seeds.map((s) => s.deviations.filter((d) => d.light === 'red').length)),
      corrected: sum(seeds.map((s) => s.corrected.length)),
      fundingPauses: seeds.filter((s) => s.pause).length,
    });
  });

  it('counts the grade that counts, by type', () => {
    const graded = seeds.filter(finalOf);
    const grades = { excellent: 0, good: 0, fair: 0, poor: 0 };
    for (const s of graded) grades[finalOf(s)!.grade]++;
    expect(report.evaluation.grades).toEqual(grades);
    expect(report.evaluation.grades).toEqual({ excellent: 1, good: 1, fair: 1, poor: 1 });
    expect(report.evaluation.evaluated).toBe(graded.length);
    expect(report.evaluation.notEvaluated).toBe(approved.filter((s) => !finalOf(s)).length);
    expect(report.evaluation.averageScore).toBeCloseTo(sum(graded.map((s) => finalOf(s)!.score)) / graded.length, 2);
    for (const t of report.evaluation.byType) expect(t.evaluated).toBe(graded.filter((s) => s.type === t.type).length);
  });

  it('totals the results applied: recommendations with current and proposed amounts', () => {
    const applied = seeds.filter((s) => s.application);
    expect(report.application.recommendations).toBe(applied.length);
    expect(report.application.byRecommendation).toEqual({ priority: 1, maintain: 1, improve: 1, cut: 1, cancel: 0 });
    expect(report.application.currentAmountWan).toBeCloseTo(sum(applied.map((s) => s.application!.current)), 6);
    expect(report.application.proposedAmountWan).toBeCloseTo(sum(applied.map((s) => s.application!.proposed)), 6);
    expect(report.application.changeWan).toBeCloseTo(sum(applied.map((s) => s.application!.proposed - s.application!.current)), 6);
  });

  it("matches the year's rectification orders and cases", async () => {
    const orders = await all(`/v1/accountability/rectifications?year=${YEAR}`);
    const cases = await all(`/v1/accountability/cases?year=${YEAR}`);
    const fresh = (await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: finance })).body;
    const bySource: Record<string, number> = {};
    for (const o of orders) bySource[o.source.kind] = (bySource[o.source.kind] ?? 0) + 1;
    expect(fresh.rectifications.total).toBe(orders.length);
    expect(fresh.rectifications.bySource).toEqual(bySource);
    expect(fresh.rectifications.bySource.audit).toBe(1);
    expect(fresh.rectifications.closed).toBe(orders.filter((o) => o.status === 'closed').length);
    expect(fresh.cases.total).toBe(cases.length);
    expect(fresh.cases.total).toBeGreaterThanOrEqual(1);
    expect(fresh.cases.open).toBe(cases.filter((c) => c.status === 'open').length);
  });

  it('renders as a printable page in headless Chromium showing the same totals (screenshot saved)', async () => {
    const r = await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}/html`, { token: finance });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = r.body as string;
    expect(html).not.toMatch(/<script|<link|@import|url\(/i);
    const png = join(RESULTS_DIR, `congress-report-${YEAR}.png`);
    const { text, requests } = await renderHtml(html, png);
    expect(requests).toEqual([]);
    expect(existsSync(png) && statSync(png).size > 10_000).toBe(true);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`${YEAR}年度预算绩效管理情况报告`);
    const show = (label: string, value: string | number) => expect(flat, label).toContain(`${label} ${value}`);
    show('纳入目标管理的对象', seeds.length);
    show('目标已批复', approved.length);
    show('批复金额（万元）', '2,385.26');
    show('监控报告', sum(seeds.map((s) => s.reports.length)));
    show('偏差', sum(seeds.map((s) => s.deviations.length)));
    show('建议暂缓拨款', 1);
    show('评价为「差」', 1);
    show('预算调整建议', 4);
    show('涉及本年金额（万元）', '2,335.21');
    show('建议下年金额（万元）', '2,088.31');
    const now = (await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: finance })).body;
    show('整改通知', now.rectifications.total);
    show('问责事项', now.cases.total);
    show('审计发现', 1);
    for (const d of departments) expect(flat).toContain(d);
  }, 120_000);
});

describe("the People's Congress ratings of key evaluation reports", () => {
  /** A KeyEvaluationRated on the bus for the seeded object's key evaluation report. */
  function rating(s: Seed, evaluationId: string, ratedBy: string, satisfaction: string, ratedAt: string, comments?: string) {
    const e = event('KeyEvaluationRated', s, (d) => {
      Object.assign(d, { evaluationId, totalScore: 55, grade: 'poor', satisfaction, ratedBy, ratedAt });
      delete d.remarks;
      if (comments) d.comments = comments;
      else delete d.comments;
    });
    return { ...e, source: 'jixiao.evaluation' };
  }
  const tallyOf = async () => (await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: supervisor })).body.keyEvaluations;

  it('lists the key evaluation report; a redelivered rating counts once and a later one by the same rater replaces it', async () => {
    const keyed = seeds.find((s) => s.evaluations.some((e) => e.kind === 'key'))!;
    const before = await tallyOf();
    expect(before.tally).toMatchObject({ reports: 1, rated: 0, notRated: 1, ratings: 0 });
    const line = before.reports[0];
    expect(line).toMatchObject({ objectId: keyed.id, score: 55, grade: 'poor', gradeLabel: '差', ratings: [] });

    const first = rating(keyed, line.evaluationId, 'npc-rpt-1', 'dissatisfied', `${YEAR + 1}-06-01T00:00:00.000Z`, '整改不到位');
    const other = rating(keyed, line.evaluationId, 'npc-rpt-2', 'basically_satisfied', `${YEAR + 1}-06-02T00:00:00.000Z`);
    // The same event again under a new envelope id: what a redelivery or a re-publication looks like.
    await rt.bus.publish([first, { ...first, id: randomUUID() }, other]);
    const rated = await eventually(async () => {
      const k = await tallyOf();
      return k.reports[0]?.ratings.length === 2 ? k : undefined;
    }, 60_000, 100);
    expect(rated.tally).toEqual({ reports: 1, rated: 1, notRated: 0, ratings: 2, bySatisfaction: { satisfied: 0, basically_satisfied: 1, dissatisfied: 1 } });

    const later = rating(keyed, line.evaluationId, 'npc-rpt-1', 'satisfied', `${YEAR + 1}-06-09T00:00:00.000Z`);
    await rt.bus.publish([later, { ...first, id: randomUUID() }]);
    const replaced = await eventually(async () => {
      const k = await tallyOf();
      return k.tally.bySatisfaction.satisfied === 1 ? k : undefined;
    }, 60_000, 100);
    expect(replaced.tally).toEqual({ reports: 1, rated: 1, notRated: 0, ratings: 2, bySatisfaction: { satisfied: 1, basically_satisfied: 1, dissatisfied: 0 } });
    expect(replaced.reports[0].ratings.map((r: { ratedBy: string; satisfactionLabel: string }) => [r.ratedBy, r.satisfactionLabel])).toEqual([
      ['npc-rpt-2', '基本满意'],
      ['npc-rpt-1', '满意'],
    ]);
  }, 120_000);
});

// ---------- the maintained view behind the report ----------

describe("the summaries view behind the People's Congress report", () => {
  const verify = async () => (await rt.call('GET', `/v1/accountability/views/verify?year=${YEAR}`, { token: finance })).body.items;
  const report = async () => {
    const { generatedAt: _generatedAt, ...rest } = (await rt.call('GET', `/v1/accountability/reports/congress/${YEAR}`, { token: finance })).body;
    return rest;
  };

  it('is consistent with the summaries after everything above', async () => {
    await rt.settle(5_000);
    expect(await verify()).toEqual([{ view: 'summaries', region: rt.regionCode, fiscalYear: YEAR, consistent: true, differences: [] }]);
  });

  it('names a count changed behind its back, and the rebuild restores the report', async () => {
    const before = await report();
    await doc.send(new UpdateCommand({ TableName: rt.tables.accountability, Key: { pk: `VIEW#summaries#${rt.regionCode}#${YEAR}`, sk: 'G#D-RPB' }, UpdateExpression: 'ADD n_reports :three', ExpressionAttributeValues: { ':three': 3 } }));
    const reportsInB = sum(seeds.filter((s) => s.department === 'D-RPB').map((s) => s.reports.length));
    expect((await verify())[0]).toMatchObject({ consistent: false, differences: [`group D-RPB: reports is ${reportsInB + 3}, the sources give ${reportsInB}`] });
    expect((await report()).monitoring.reports).toBe(before.monitoring.reports + 3);
    const rebuilt = await rt.call('POST', '/v1/accountability/views/rebuild', { token: finance, body: { fiscalYear: YEAR } });
    expect(rebuilt.body.items[0]).toMatchObject({ view: 'summaries', consistent: true, differences: [] });
    expect(await report()).toEqual(before);
    expect((await rt.call('POST', '/v1/accountability/views/rebuild', { token: supervisor, body: { fiscalYear: YEAR } })).status).toBe(403);
  });

  it('is repaired by the scheduled check when a count drifts', async () => {
    const before = await report();
    await doc.send(new UpdateCommand({ TableName: rt.tables.accountability, Key: { pk: `VIEW#summaries#${rt.regionCode}#${YEAR}`, sk: 'G#D-RPA' }, UpdateExpression: 'ADD n_objects :one', ExpressionAttributeValues: { ':one': 1 } }));
    expect((await verify())[0].consistent).toBe(false);
    // The daily run of a day in the report's year: it checks last, this and next year.
    await rt.scheduler.fire('accountability.views.daily', new Date(`${YEAR}-06-01T00:00:00Z`));
    expect(await verify()).toEqual([{ view: 'summaries', region: rt.regionCode, fiscalYear: YEAR, consistent: true, differences: [] }]);
    expect(await report()).toEqual(before);
  });
});
