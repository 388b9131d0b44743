/**
 * Gets spending objects approved over HTTP on a test runtime, for tests of the services
 * downstream of declaration (monitoring, evaluation, accountability): declare → targets →
 * submit → department review → finance review, each step asserted.
 */
import { expect } from 'vitest';
import type { TestRuntime } from './runtime.ts';

export interface Desk {
  unit: string;
  department: string;
  finance: string;
}

export const standardRows = [
  { level1: 'output', level2: 'quantity', name: '新建高标准农田面积', operator: 'gte', value: 5000, unit: '亩', basis: 'plan' },
  { level1: 'output', level2: 'quality', name: '项目(工程)验收合格率', operator: 'eq', value: 100, unit: '%' },
  { level1: 'output', level2: 'timeliness', name: '项目(工程)完成及时率', operator: 'gte', value: 95, unit: '%' },
  { level1: 'benefit', level2: 'economic_benefit', name: '年增粮食产能', operator: 'gte', value: 350, unit: '吨' },
  { level1: 'satisfaction', level2: 'service_satisfaction', name: '受益群众满意度', operator: 'gte', value: 90, unit: '%' },
];

export function projectBody(fiscalYear: number, overrides: Record<string, unknown> = {}) {
  return {
    spendingType: 'project',
    name: `${fiscalYear}年高标准农田建设项目`,
    fiscalYear,
    sector: 'agriculture',
    lifecycle: 'continuing',
    period: { startYear: fiscalYear - 1, endYear: fiscalYear + 1 },
    amounts: { mediumTermTotalWan: 2400, annualTotalWan: 800, fiscalWan: 760, otherWan: 40 },
    ...overrides,
  };
}

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;

/** Declares and approves an object; returns its id and approved rows (with their row ids). */
export async function approveObject(
  rt: TestRuntime,
  desk: Desk,
  body: Record<string, unknown>,
  rows: readonly Record<string, unknown>[] = standardRows,
): Promise<{ id: string; rows: { rowId: string; name: string; operator: string; value?: number | string; unit?: string }[] }> {
  const step = async (r: Promise<{ status: number; headers: Headers; body: any }>, status = 200) => {
    const res = await r;
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res;
  };
  const created = await step(rt.call('POST', '/v1/declaration/objects', { token: desk.unit, body }), 201);
  const id = created.body.id as string;
  const targets = await step(
    rt.call('PUT', `/v1/declaration/objects/${id}/targets`, {
      token: desk.unit,
      headers: { 'if-match': etag(created) },
      body: { overallGoal: { annual: '按计划完成年度建设任务' }, rows },
    }),
  );
  const submitted = await step(rt.call('POST', `/v1/declaration/objects/${id}/submit`, { token: desk.unit, headers: { 'if-match': etag(targets) } }));
  expect(submitted.body.status, JSON.stringify(submitted.body.lastRejection)).toBe('department_review');
  const reviewed = await step(rt.call('POST', `/v1/declaration/objects/${id}/reviews`, { token: desk.department, headers: { 'if-match': etag(submitted) }, body: { grade: 'excellent' } }));
  const approved = await step(rt.call('POST', `/v1/declaration/objects/${id}/reviews`, { token: desk.finance, headers: { 'if-match': etag(reviewed) }, body: { grade: 'excellent' } }));
  expect(approved.body.status).toBe('approved');
  return { id, rows: targets.body.rows };
}
