/**
 * Assessments (考核) end to end on the local runtime: lifecycle events of two departments are
 * published on the bus, the ledger folds them into object summaries, finance assesses both
 * departments, enters what the data does not cover, publishes, and the ranks, values, access
 * and the timeline search are checked against what was published.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples } from '../../events/examples.ts';
import { bootRuntime, eventually, type ApiResponse, type TestRuntime } from '../support/runtime.ts';

const YEAR = 2031;
const A = 'D-ASMA';
const B = 'D-ASMB';
let rt: TestRuntime;
let finance: string;
let supervisor: string;
let deptA: string;
let deptB: string;
let unitA: string;
let doc: DynamoDBDocumentClient;

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;
const fields = (r: ApiResponse) => (r.body.errors ?? []).map((e: { field: string }) => e.field);
const line = (a: { indicators: { code: string }[] }, code: string) => a.indicators.find((l) => l.code === code) as any;

// ---------- events built from the catalog examples ----------

const objects: Record<string, { department: string; unit: string; events: number }> = {};
const published: { detailType: string; objectId: string; occurredAt: string; eventId: string }[] = [];
let clock = Date.parse(`${YEAR - 1}-11-01T00:00:00.000Z`);

function event(detailType: string, objectId: string, change: (data: any) => void = () => undefined) {
  const o = objects[objectId] as { department: string; unit: string; events: number };
  const detail = structuredClone(examples[detailType]) as { meta: any; data: any };
  clock += 3_600_000;
  detail.meta.eventId = randomUUID();
  detail.meta.occurredAt = new Date(clock).toISOString();
  detail.meta.subject = { type: 'project', id: objectId };
  const ref = { id: objectId, name: `考核测试项目 ${objectId}`, fiscalYear: YEAR, region: '360000', department: o.department, unit: o.unit };
  if (detail.data.snapshot) detail.data.snapshot.object = { ...detail.data.snapshot.object, ...ref };
  if (detail.data.object) detail.data.object = { ...detail.data.object, ...ref };
  if (detail.data.window) detail.data.window.fiscalYear = YEAR;
  change(detail.data);
  o.events += 1;
  published.push({ detailType, objectId, occurredAt: detail.meta.occurredAt, eventId: detail.meta.eventId });
  const source = `jixiao.${detailType.startsWith('Evaluation') || detailType === 'BudgetAdjustmentRecommended' ? 'evaluation' : /Monitoring|Deviation|FundingPause/.test(detailType) ? 'monitoring' : 'declaration'}`;
  return { version: '0' as const, id: randomUUID(), 'detail-type': detailType, source, account: '000000000000', time: new Date().toISOString(), region: rt.awsRegion, resources: [], detail };
}

const objectId = () => `obj_asm${randomUUID().replaceAll('-', '').slice(0, 16)}`;
function object(department: string, unit: string) {
  const id = objectId();
  objects[id] = { department, unit, events: 0 };
  return id;
}
const evaluation = (id: string, kind: string, score: number, grade: string) =>
  event('EvaluationCompleted', id, (d) => {
    d.kind = kind;
    d.totalScore = score;
    d.grade = grade;
    d.evaluationId = `sev_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  });

let a1: string, a2: string, b1: string, b2: string;

async function summaryEvents(id: string): Promise<number> {
  const { Item } = await doc.send(new GetCommand({ TableName: rt.tables.accountability, Key: { pk: `SUM#${id}`, sk: 'SUMMARY' }, ConsistentRead: true }));
  return (Item?.eventIds as string[] | undefined)?.length ?? 0;
}

beforeAll(async () => {
  rt = await bootRuntime();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  finance = await rt.token({ role: 'finance', sub: 'asm-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'asm-npc-1' });
  deptA = await rt.token({ role: 'department', department: A, sub: 'asm-dept-a' });
  deptB = await rt.token({ role: 'department', department: B, sub: 'asm-dept-b' });
  unitA = await rt.token({ role: 'unit', department: A, unit: 'U-ASMA-1', sub: 'asm-unit-a' });

  a1 = object(A, 'U-ASMA-1');
  a2 = object(A, 'U-ASMA-2');
  b1 = object(B, 'U-ASMB-1');
  b2 = object(B, 'U-ASMB-1');
  const events = [
    // A1: approved first time, reported, one red deviation corrected, self 90 / review 84
    event('DeclarationSubmitted', a1),
    event('TargetApproved', a1),
    event('MonitoringReported', a1, (d) => (d.window.id = 'win_asm1')),
    event('MonitoringDeviation', a1, (d) => {
      d.window.id = 'win_asm1';
      d.light = 'red';
    }),
    event('DeviationCorrected', a1, (d) => (d.raisedInWindow = 'win_asm1')),
    evaluation(a1, 'self', 90, 'excellent'),
    evaluation(a1, 'finance_review', 84, 'good'),
    // A2: returned once, approved on resubmission, escalated for a missing report, self 70 (never reviewed)
    event('DeclarationSubmitted', a2),
    event('TargetRejected', a2, (d) => (d.outcome = 'returned')),
    event('DeclarationSubmitted', a2, (d) => (d.submission = 2)),
    event('TargetApproved', a2),
    event('MonitoringEscalated', a2),
    evaluation(a2, 'self', 70, 'fair'),
    // B1: approved, reported, self 60 / review 70
    event('DeclarationSubmitted', b1),
    event('TargetApproved', b1),
    event('MonitoringReported', b1),
    evaluation(b1, 'self', 60, 'fair'),
    evaluation(b1, 'finance_review', 70, 'fair'),
    // B2: rejected
    event('DeclarationSubmitted', b2),
    event('TargetRejected', b2, (d) => (d.outcome = 'rejected')),
  ];
  await rt.bus.publish(events);
  // The ledger has folded every event (its own idempotency: each summary keeps the ids it folded).
  await eventually(async () => ((await Promise.all(Object.keys(objects).map(async (id) => (await summaryEvents(id)) === objects[id]?.events))).every(Boolean) ? true : undefined), 150_000, 200);
}, 200_000);

afterAll(async () => {
  await rt?.stop();
});

describe('assessments of two departments', () => {
  let sheetA: any;
  let sheetB: any;

  it('finance creates a draft per department, computed from the summaries; a second one is 409', async () => {
    const ra = await rt.call('POST', '/v1/accountability/assessments', { token: finance, body: { fiscalYear: YEAR, assessee: { type: 'department', code: A, name: '考核甲厅' } } });
    expect(ra.status, JSON.stringify(ra.body)).toBe(201);
    sheetA = ra.body;
    expect(sheetA).toMatchObject({ id: `asm_${YEAR}_department_${A}`, status: 'draft', assessee: { code: A } });
    expect(line(sheetA, 'target_coverage')).toMatchObject({ status: 'computed', ratio: 1, score: 15, basis: { declared: 2, approved: 2 } });
    expect(line(sheetA, 'review_quality')).toMatchObject({ status: 'computed', ratio: 0.5, score: 5, basis: { approved: 2, approvedWithoutReturn: 1 } });
    expect(line(sheetA, 'monitoring_timeliness')).toMatchObject({ status: 'computed', ratio: 0.5, basis: { monitored: 2, reportedWithoutEscalation: 1, escalated: 1 } });
    expect(line(sheetA, 'deviation_handling')).toMatchObject({ status: 'computed', ratio: 1, basis: { deviations: 1, redDeviations: 1, corrected: 1 } });
    expect(line(sheetA, 'self_evaluation_coverage')).toMatchObject({ status: 'computed', ratio: 1 });
    expect(line(sheetA, 'self_evaluation_quality')).toMatchObject({ status: 'computed', ratio: 0.94, basis: { reviewed: 1, meanGapPoints: 6 } });
    expect(line(sheetA, 'disclosure')).toMatchObject({ status: 'computed', ratio: 0, score: 0, basis: { approvedObjects: 2, targetsDisclosed: 0, evaluatedObjects: 2, evaluationsDisclosed: 0 } });
    expect(line(sheetA, 'institution_building')).toMatchObject({ status: 'missing', source: 'entered' });
    // Rectification orders come from the rules (a red deviation may order one): whatever exists, the ratio is closed ÷ total.
    const rect = line(sheetA, 'rectification_completion');
    if (rect.status === 'computed') expect(rect.ratio).toBeCloseTo(rect.basis.closed / rect.basis.total, 4);
    else expect(rect.status).toBe('missing');
    expect(sheetA.grade).toBeUndefined();
    expect(sheetA.audit).toMatchObject([{ action: 'created', by: 'asm-finance-1' }]);

    const rb = await rt.call('POST', '/v1/accountability/assessments', { token: finance, body: { fiscalYear: YEAR, assessee: { type: 'department', code: B, name: '考核乙厅' } } });
    expect(rb.status, JSON.stringify(rb.body)).toBe(201);
    sheetB = rb.body;
    expect(line(sheetB, 'target_coverage')).toMatchObject({ ratio: 0.5, basis: { declared: 2, approved: 1 } });
    expect(line(sheetB, 'review_quality')).toMatchObject({ ratio: 1 });
    expect(line(sheetB, 'monitoring_timeliness')).toMatchObject({ ratio: 1 });
    expect(line(sheetB, 'deviation_handling')).toMatchObject({ status: 'missing' });
    expect(line(sheetB, 'self_evaluation_quality')).toMatchObject({ ratio: 0.9 });

    const again = await rt.call('POST', '/v1/accountability/assessments', { token: finance, body: { fiscalYear: YEAR, assessee: { type: 'department', code: A, name: '再来' } } });
    expect(again.status).toBe(409);
  });

  it('refuses bad input with 4xx naming the fields', async () => {
    const bad = await rt.call('POST', '/v1/accountability/assessments', { token: finance, body: { fiscalYear: 1800, assessee: { type: 'ministry', code: '', name: 'x' } } });
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['body.fiscalYear', 'body.assessee.type', 'body.assessee.code']));
    const notLower = await rt.call('POST', '/v1/accountability/assessments', { token: finance, body: { fiscalYear: YEAR, assessee: { type: 'region', code: '440100', name: '广州' } } });
    expect(notLower.status).toBe(400);
    expect(fields(notLower)).toEqual(['body.assessee.code']);
    const byDept = await rt.call('POST', '/v1/accountability/assessments', { token: deptA, body: { fiscalYear: YEAR, assessee: { type: 'department', code: A, name: 'x' } } });
    expect(byDept.status).toBe(403);

    const current = await rt.call('GET', `/v1/accountability/assessments/${sheetA.id}`, { token: finance });
    const entries = await rt.call('PATCH', `/v1/accountability/assessments/${sheetA.id}`, {
      token: finance,
      headers: { 'if-match': etag(current) },
      body: { entries: [{ code: 'target_coverage', ratio: 0.5, reason: '改' }, { code: 'nope_code', ratio: 1, reason: 'x' }, { code: 'institution_building', score: 11, reason: 'x' }, { code: 'institution_building', ratio: 0.5, score: 5, reason: 'x' }] },
    });
    expect(entries.status).toBe(400);
    expect(fields(entries)).toEqual(expect.arrayContaining(['body.entries.0.code', 'body.entries.1.code', 'body.entries.2.score']));
    const noMatch = await rt.call('PATCH', `/v1/accountability/assessments/${sheetA.id}`, { token: finance, body: { entries: [{ code: 'institution_building', ratio: 1, reason: 'x' }] } });
    expect(noMatch.status).toBe(428);
    expect((await rt.call('GET', `/v1/accountability/assessments/${sheetA.id}`, { token: finance })).body.version).toBe(sheetA.version);
  });

  it('publishing is refused while an indicator is missing, naming each', async () => {
    const current = await rt.call('GET', `/v1/accountability/assessments/${sheetA.id}`, { token: finance });
    const r = await rt.call('POST', `/v1/accountability/assessments/${sheetA.id}/publish`, { token: finance, headers: { 'if-match': etag(current) } });
    expect(r.status).toBe(422);
    expect(fields(r)).toEqual(current.body.missing.map((c: string) => `indicators.${c}`));
    expect(fields(r)).toContain('indicators.institution_building');
  });

  const enterMissing = async (sheet: any, values: Record<string, { ratio?: number; score?: number }>) => {
    const current = await rt.call('GET', `/v1/accountability/assessments/${sheet.id}`, { token: finance });
    const entries = current.body.missing.map((code: string) => ({ code, ...(values[code] ?? { ratio: 1 }), reason: `${code}: 依据部门报送材料核定` }));
    const r = await rt.call('PATCH', `/v1/accountability/assessments/${sheet.id}`, { token: finance, headers: { 'if-match': etag(current) }, body: { entries } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.missing).toEqual([]);
    return r;
  };

  it('finance enters the missing values (audited), publishes both, and the ranks follow the totals', async () => {
    const ea = await enterMissing(sheetA, { institution_building: { score: 8 }, rectification_completion: { ratio: 0.8 } });
    expect(line(ea.body, 'institution_building')).toMatchObject({ status: 'entered', ratio: 0.8, score: 8, entry: { by: 'asm-finance-1', given: { score: 8 } } });
    expect(ea.body.audit.some((l: any) => l.action === 'entered' && l.detail.includes('institution_building') && l.detail.includes('依据部门报送材料核定'))).toBe(true);
    const sum = ea.body.indicators.reduce((s: number, l: any) => s + l.score, 0);
    expect(ea.body.total).toBeCloseTo(sum, 2);

    const eb = await enterMissing(sheetB, { institution_building: { ratio: 0.5 }, deviation_handling: { ratio: 1 }, rectification_completion: { ratio: 0.5 } });
    expect(line(eb.body, 'deviation_handling')).toMatchObject({ status: 'entered', ratio: 1 });

    const pa = await rt.call('POST', `/v1/accountability/assessments/${sheetA.id}/publish`, { token: finance, headers: { 'if-match': etag(ea) } });
    expect(pa.status, JSON.stringify(pa.body)).toBe(200);
    expect(pa.body).toMatchObject({ status: 'published', publication: { rank: 1, rankedAmong: 1, by: 'asm-finance-1' } });
    const pb = await rt.call('POST', `/v1/accountability/assessments/${sheetB.id}/publish`, { token: finance, headers: { 'if-match': etag(eb) } });
    expect(pb.status, JSON.stringify(pb.body)).toBe(200);
    const higher = pa.body.total >= pb.body.total ? 'A' : 'B';
    expect(pb.body.publication).toMatchObject({ rank: higher === 'B' ? 1 : pa.body.total === pb.body.total ? 1 : 2, rankedAmong: 2 });

    const list = await rt.call('GET', `/v1/accountability/assessments?year=${YEAR}&type=department`, { token: supervisor });
    expect(list.status).toBe(200);
    const ranks = Object.fromEntries(list.body.items.map((i: any) => [i.assessee.code, i.rank]));
    const [ta, tb] = [pa.body.total, pb.body.total];
    expect(ranks).toEqual({ [A]: ta >= tb ? 1 : 2, [B]: tb >= ta ? 1 : 2 });
    expect(list.body.items.map((i: any) => i.total)).toEqual([...list.body.items.map((i: any) => i.total)].sort((x: number, y: number) => y - x));

    // The event carries the frozen sheet; the timeline files it under the assessment.
    const filed = await eventually(async () => {
      const t = await rt.call('GET', `/v1/accountability/timeline/${sheetB.id}`, { token: finance });
      return t.body.items?.find((e: any) => e.detailType === 'AssessmentPublished');
    }, 10_000);
    expect(filed.data).toMatchObject({ assessmentId: sheetB.id, total: pb.body.total, grade: pb.body.grade, rank: pb.body.publication.rank, rankedAmong: 2 });
    expect(filed.data.indicators.find((i: any) => i.code === 'institution_building')).toMatchObject({ status: 'entered', ratio: 0.5, reason: 'institution_building: 依据部门报送材料核定' });
  });

  it('a published sheet is frozen', async () => {
    const current = await rt.call('GET', `/v1/accountability/assessments/${sheetA.id}`, { token: finance });
    const patch = await rt.call('PATCH', `/v1/accountability/assessments/${sheetA.id}`, { token: finance, headers: { 'if-match': etag(current) }, body: { entries: [{ code: 'institution_building', ratio: 1, reason: 'x' }] } });
    expect(patch.status).toBe(409);
    const recompute = await rt.call('POST', `/v1/accountability/assessments/${sheetA.id}/recompute`, { token: finance, headers: { 'if-match': etag(current) } });
    expect(recompute.status).toBe(409);
  });

  it('a department sees only its own published assessment', async () => {
    const own = await rt.call('GET', `/v1/accountability/assessments?year=${YEAR}`, { token: deptA });
    expect(own.status).toBe(200);
    expect(own.body.items.map((i: any) => i.assessee.code)).toEqual([A]);
    expect(own.body.items[0].rank).toBeGreaterThan(0);
    expect((await rt.call('GET', `/v1/accountability/assessments/${sheetA.id}`, { token: deptA })).status).toBe(200);
    expect((await rt.call('GET', `/v1/accountability/assessments/${sheetA.id}`, { token: deptB })).status).toBe(403);
    expect((await rt.call('GET', `/v1/accountability/assessments?year=${YEAR}`, { token: unitA })).status).toBe(403);
    expect((await rt.call('GET', `/v1/accountability/assessments/asm_${YEAR}_department_D-NONE`, { token: finance })).status).toBe(404);
  });

  it('recompute refreshes a draft from current data and keeps the entries', async () => {
    const c = object('D-ASMC', 'U-ASMC-1');
    await rt.bus.publish([event('DeclarationSubmitted', c)]);
    await eventually(async () => ((await summaryEvents(c)) === 1 ? true : undefined), 10_000);
    const created = await rt.call('POST', '/v1/accountability/assessments', { token: finance, body: { fiscalYear: YEAR, assessee: { type: 'department', code: 'D-ASMC', name: '考核丙厅' } } });
    expect(line(created.body, 'target_coverage')).toMatchObject({ ratio: 0, basis: { declared: 1, approved: 0 } });
    const entered = await rt.call('PATCH', `/v1/accountability/assessments/${created.body.id}`, { token: finance, headers: { 'if-match': etag(created) }, body: { entries: [{ code: 'institution_building', ratio: 0.6, reason: '制度初建' }] } });
    expect(entered.status).toBe(200);
    await rt.bus.publish([event('TargetApproved', c)]);
    await eventually(async () => ((await summaryEvents(c)) === 2 ? true : undefined), 10_000);
    const again = await rt.call('POST', `/v1/accountability/assessments/${created.body.id}/recompute`, { token: finance, headers: { 'if-match': etag(entered) } });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(line(again.body, 'target_coverage')).toMatchObject({ ratio: 1 });
    expect(line(again.body, 'institution_building')).toMatchObject({ status: 'entered', ratio: 0.6 });
    expect(again.body.audit.at(-1)).toMatchObject({ action: 'recomputed' });
    expect(again.body.audit.at(-1).detail).toContain('target_coverage 0 → 1');
  });
});

describe('timeline search', () => {
  it('lists a department’s events of the year newest first, paginated, and a unit narrows it', async () => {
    const expected = published.filter((p) => objects[p.objectId]?.department === A).sort((x, y) => (x.occurredAt < y.occurredAt ? 1 : -1));
    await eventually(async () => {
      const r = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&department=${A}&limit=100`, { token: finance });
      return r.body.items?.length >= expected.length ? true : undefined;
    }, 10_000);
    const seen: any[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&department=${A}&limit=4${cursor ? `&cursor=${cursor}` : ''}`, { token: supervisor });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(4);
      seen.push(...r.body.items);
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    // Ours, newest first; besides them only what the accountability service itself published about
    // these objects (e.g. a rectification ordered by rule for the red deviation).
    const mine = new Set(published.map((p) => p.eventId));
    expect(seen.filter((e) => mine.has(e.eventId)).map((e) => e.eventId)).toEqual(expected.map((p) => p.eventId));
    expect(seen.filter((e) => !mine.has(e.eventId)).every((e) => e.source === 'jixiao.accountability' && e.data.object?.department === A)).toBe(true);
    expect(seen.map((e) => e.occurredAt)).toEqual([...seen.map((e) => e.occurredAt)].sort().reverse());

    const unit = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&department=${A}&unit=U-ASMA-2&limit=100`, { token: finance });
    expect(unit.body.items.map((e: any) => e.eventId)).toEqual(expected.filter((p) => p.objectId === a2).map((p) => p.eventId));
    expect(unit.body.items.every((e: any) => e.subject.id === a2)).toBe(true);
  });

  it('by type across departments, and by department and type together', async () => {
    const approvals = published.filter((p) => p.detailType === 'TargetApproved').sort((x, y) => (x.occurredAt < y.occurredAt ? 1 : -1));
    const byType = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&type=TargetApproved&limit=100`, { token: finance });
    expect(byType.status).toBe(200);
    expect(byType.body.items.map((e: any) => e.eventId)).toEqual(approvals.map((p) => p.eventId));
    const both = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&type=TargetApproved&department=${B}`, { token: finance });
    expect(both.body.items.map((e: any) => e.subject.id)).toEqual([b1]);
    expect((await rt.call('GET', `/v1/accountability/timeline?year=${YEAR - 1}&department=${A}`, { token: finance })).body.items).toEqual([]);
  });

  it('refuses a search without department or type, a unit without its department, unknown types, other cursors and other roles', async () => {
    const none = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}`, { token: finance });
    expect(none.status).toBe(400);
    expect(fields(none)).toEqual(['query.department']);
    const unitOnly = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&unit=U-ASMA-1&type=TargetApproved`, { token: finance });
    expect(fields(unitOnly)).toEqual(['query.unit']);
    const unknown = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&type=NoSuchEvent`, { token: finance });
    expect(fields(unknown)).toEqual(['query.type']);
    const noYear = await rt.call('GET', `/v1/accountability/timeline?department=${A}`, { token: finance });
    expect(fields(noYear)).toEqual(['query.year']);
    const page = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&department=${A}&limit=2`, { token: finance });
    const crossed = await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&department=${B}&cursor=${page.body.nextCursor}`, { token: finance });
    expect(crossed.status).toBe(400);
    expect(fields(crossed)).toEqual(['query.cursor']);
    expect((await rt.call('GET', `/v1/accountability/timeline?year=${YEAR}&department=${A}`, { token: deptA })).status).toBe(403);
  });

  it('the object timeline still lists every event about an object, oldest first, with its actor', async () => {
    const r = await rt.call('GET', `/v1/accountability/timeline/${a2}`, { token: finance });
    expect(r.status).toBe(200);
    expect(r.body.items.map((e: any) => e.eventId)).toEqual(published.filter((p) => p.objectId === a2).map((p) => p.eventId));
    expect(r.body.items[0].actor.sub).toBeTruthy();
    expect(Object.keys(r.body.items[0]).sort()).toEqual(['actor', 'correlationId', 'data', 'detailType', 'eventId', 'occurredAt', 'region', 'source', 'subject']);
  });
});
