/**
 * Import and export of the library over HTTP: a CSV with bad rows is refused whole with every
 * bad row's line and reason; `partial=true` imports exactly the good rows; an export opens in a
 * spreadsheet (UTF-8 with BOM) and imports back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootRuntime, eventually, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance' });
  await rt.call('PUT', '/v1/indicators/sectors/health', { token: finance, body: { label: '卫生健康' } });
});
afterAll(async () => rt?.stop());

const header = 'code,name,level1,level2,operator,unit,scope,sector,spendingTypes';
const good = (n: number) => `IMP-${n},疫苗接种人数${n},产出指标,数量指标,≥,人次,个性,health,项目支出`;
const csv = (lines: string[]) => `\uFEFF${[header, ...lines].join('\r\n')}\r\n`;

async function count(prefix: string): Promise<number> {
  const r = await rt.call('GET', `/v1/indicators?text=${encodeURIComponent(prefix)}&limit=100`, { token: finance });
  return r.body.items.length;
}

describe('CSV import', () => {
  const file = csv([
    good(1),
    'IMP-2,接种率,产出指标,满意度指标,≥,%,个性,health,项目支出', // line 3: level2 not under level1
    good(3),
    'IMP-4,抽检合格率,产出指标,质量指标,≥,,个性,health,项目支出', // line 5: no unit
    good(5),
    'IMP-6,服务人次,产出指标,数量指标,大于,人次,个性,nowhere,项目支出', // line 7: bad operator + unknown sector
  ]);

  it('reports every bad row with its line and reason and imports nothing', async () => {
    const r = await rt.call('POST', '/v1/indicators/imports', { token: finance, body: { format: 'csv', content: file } });
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
    const lines = [...new Set(r.body.rows.map((e: { line: number }) => e.line))];
    expect(lines).toEqual([3, 5, 7]);
    expect(r.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, field: 'level2' }),
        expect.objectContaining({ line: 5, field: 'unit' }),
        expect.objectContaining({ line: 7, field: 'operator' }),
      ]),
    );
    expect(r.body.rows.every((e: { reason: string }) => e.reason.length > 5)).toBe(true);
    expect(await count('疫苗接种人数')).toBe(0);
  });

  it('imports exactly the good rows with partial=true and reports the bad ones', async () => {
    const r = await rt.call('POST', '/v1/indicators/imports?partial=true', { token: finance, body: { format: 'csv', content: file, publish: true } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'done', total: 3, processed: 3, imported: 3, skipped: 0 });
    expect(r.body.ids.map((i: { line: number }) => i.line)).toEqual([2, 4, 6]);
    expect([...new Set(r.body.failed.map((e: { line: number }) => e.line))]).toEqual([3, 5, 7]);
    expect(await count('疫苗接种人数')).toBe(3);

    const job = await rt.call('GET', `/v1/indicators/imports/${r.body.jobId}`, { token: finance });
    expect(job.body).toMatchObject({ status: 'done', processed: 3, imported: 3 });
  });

  it('skips rows whose code already exists, so a re-run imports nothing twice', async () => {
    const again = await rt.call('POST', '/v1/indicators/imports', { token: finance, body: { format: 'csv', content: csv([good(1), good(3), good(5)]) } });
    expect(again.body).toMatchObject({ imported: 0, skipped: 3 });
    expect(await count('疫苗接种人数')).toBe(3);
  });

  it('exports CSV with a BOM that imports back as the same indicators', async () => {
    const r = await fetch(`${rt.apiUrl}/v1/indicators/export?sector=health&format=csv`, { headers: { authorization: `Bearer ${finance}` } });
    expect(r.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('疫苗接种人数1');
    const back = await rt.call('POST', '/v1/indicators/imports', { token: finance, body: { format: 'csv', content: text } });
    expect(back.status, JSON.stringify(back.body).slice(0, 400)).toBe(200);
    expect(back.body).toMatchObject({ imported: 0, skipped: 3 });
  });

  it('refuses a file that is not CSV with a 422 naming the line', async () => {
    const r = await rt.call('POST', '/v1/indicators/imports', { token: finance, body: { format: 'csv', content: `${header}\r\n"unterminated,x` } });
    expect(r.status).toBe(422);
    expect(r.body.rows[0]).toMatchObject({ line: 2 });
  });
});

describe('large imports', () => {
  it('queues a large file (202) and the importer finishes it in the background, progress readable meanwhile', async () => {
    const indicators = Array.from({ length: 600 }, (_, n) => ({
      code: `BIG-${n}`, name: `大批量导入${n}`, level1: 'output', level2: 'quantity', operator: 'gte', unit: '个', scope: 'common', spendingTypes: ['project'],
    }));
    const r = await rt.call('POST', '/v1/indicators/imports', { token: finance, body: { format: 'json', indicators } });
    expect(r.status, JSON.stringify(r.body).slice(0, 300)).toBe(202);
    expect(r.body).toMatchObject({ status: 'running', mode: 'queued', total: 600, chunks: 6 });
    const progress: number[] = [];
    const done = await eventually(async () => {
      const job = await rt.call('GET', `/v1/indicators/imports/${r.body.jobId}`, { token: finance });
      progress.push(job.body.processed);
      return job.body.status === 'done' ? job.body : undefined;
    }, 60_000, 200);
    expect(done).toMatchObject({ processed: 600, imported: 600, skipped: 0 });
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const page = await rt.call('GET', `/v1/indicators?text=${encodeURIComponent('大批量导入')}&status=draft&limit=100`, { token: finance });
    expect(page.body.items).toHaveLength(100);
  });
});
