import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttp, main, runSeed, type Seed } from '../../infra/local/cli/seed.ts';
import { loadOrCreateKeys, verifyBearer } from '../../infra/local/keys.ts';
import { writeRuntimeState } from '../../infra/local/paths.ts';

// ---------------------------------------------------------------------------------------------
// A minimal fake of the indicators API: the seed contract and nothing else.

interface FakeTemplate {
  id: string;
  name: string;
  sector: string;
  status: 'draft' | 'published';
  version: number;
  body: Record<string, unknown>;
}

interface FakeOptions {
  /** Rejects the import with 422 for these codes. */
  invalidCodes?: string[];
  /** Answers an import with `running` first; the job is done at the first GET. */
  asyncImports?: boolean;
  /** Leaves templates out of the list (as if renamed), so only the Idempotency-Key finds them. */
  hideTemplatesFromList?: boolean;
  /** Checks each request's token. */
  authorize?: (authorization: string | undefined) => Promise<void>;
}

class FakeApi {
  readonly sectors = new Map<string, string>();
  readonly codes = new Map<string, string>();
  readonly templates = new Map<string, FakeTemplate>();
  readonly idempotency = new Map<string, { status: number; headers: Record<string, string>; body: unknown }>();
  readonly imports: { publish: unknown; indicators: Record<string, unknown>[] }[] = [];
  readonly calls: string[] = [];
  private readonly jobs = new Map<string, unknown>();
  private server?: Server;
  private seq = 0;

  constructor(private readonly options: FakeOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => this.send(res, 500, { title: error.message }));
    });
    await new Promise<void>((done) => this.server?.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }

  private etag(t: FakeTemplate) {
    return `"${t.id}.v${t.version}"`;
  }

  private view(t: FakeTemplate) {
    return { ...t.body, id: t.id, version: t.version, status: t.status };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = `${req.method} ${url.pathname}`;
    this.calls.push(`${req.method} ${url.pathname}${url.search}`);
    try {
      await this.options.authorize?.(req.headers.authorization);
    } catch (error) {
      return this.send(res, 401, { title: 'Unauthorized', detail: (error as Error).message });
    }
    let m: RegExpExecArray | null;

    if ((m = /^PUT \/v1\/indicators\/sectors\/([a-z_]+)$/.exec(route))) {
      const isNew = !this.sectors.has(m[1] as string);
      this.sectors.set(m[1] as string, body.label as string);
      return this.send(res, isNew ? 201 : 200, { code: m[1], label: body.label });
    }

    if (route === 'POST /v1/indicators/imports') {
      const indicators = body.indicators as Record<string, unknown>[];
      this.imports.push({ publish: body.publish, indicators });
      const rows = indicators.flatMap((ind, i) => {
        if (this.options.invalidCodes?.includes(ind.code as string)) return [{ line: i + 1, field: 'unit', reason: 'a quantitative indicator needs a unit' }];
        if (ind.sector && !this.sectors.has(ind.sector as string)) return [{ line: i + 1, field: 'sector', reason: `unknown sector ${String(ind.sector)}` }];
        return [];
      });
      if (rows.length && url.searchParams.get('partial') !== 'true') {
        return this.send(res, 422, { title: 'Unprocessable Content', status: 422, detail: `${rows.length} row(s) are invalid; nothing was imported.`, rows });
      }
      let imported = 0;
      let skipped = 0;
      for (const ind of indicators) {
        if (this.codes.has(ind.code as string)) skipped++;
        else {
          this.codes.set(ind.code as string, `ind_${String(++this.seq).padStart(12, '0')}`);
          imported++;
        }
      }
      const jobId = `imp_${String(++this.seq).padStart(12, '0')}`;
      const done = { jobId, status: 'done', total: indicators.length, processed: indicators.length, imported, skipped, failed: [] };
      this.jobs.set(jobId, done);
      return this.send(res, 200, this.options.asyncImports ? { ...done, status: 'running', processed: 0, imported: 0, skipped: 0 } : done);
    }

    if ((m = /^GET \/v1\/indicators\/imports\/(imp_\w+)$/.exec(route))) return this.send(res, 200, this.jobs.get(m[1] as string));

    if (route === 'GET /v1/indicators/templates') {
      const items = this.options.hideTemplatesFromList ? [] : [...this.templates.values()].map((t) => this.view(t));
      return this.send(res, 200, { items });
    }

    if (route === 'POST /v1/indicators/templates') {
      const key = req.headers['idempotency-key'] as string;
      const stored = this.idempotency.get(key);
      if (stored) return this.send(res, stored.status, stored.body, { ...stored.headers, 'idempotent-replayed': 'true' });
      const missing = (body.indicators as { code: string }[]).filter((ref) => !this.codes.has(ref.code));
      if (missing.length) return this.send(res, 422, { title: 'Unprocessable Content', detail: `unknown codes ${missing.map((r) => r.code).join(', ')}` });
      const t: FakeTemplate = { id: `tpl_${String(++this.seq).padStart(12, '0')}`, name: body.name as string, sector: body.sector as string, status: 'draft', version: 1, body };
      this.templates.set(t.id, t);
      const response = { status: 201, headers: { etag: this.etag(t) }, body: this.view(t) };
      this.idempotency.set(key, response);
      return this.send(res, 201, response.body, response.headers);
    }

    if ((m = /^GET \/v1\/indicators\/templates\/(tpl_\w+)$/.exec(route))) {
      const t = this.templates.get(m[1] as string);
      return t ? this.send(res, 200, this.view(t), { etag: this.etag(t) }) : this.send(res, 404, { title: 'Not Found' });
    }

    if ((m = /^POST \/v1\/indicators\/templates\/(tpl_\w+)\/publish$/.exec(route))) {
      const t = this.templates.get(m[1] as string);
      if (!t) return this.send(res, 404, { title: 'Not Found' });
      if (req.headers['if-match'] !== this.etag(t)) return this.send(res, 412, { title: 'Precondition Failed' });
      if (t.status !== 'draft') return this.send(res, 409, { title: 'Conflict' });
      t.status = 'published';
      t.version++;
      return this.send(res, 200, this.view(t), { etag: this.etag(t) });
    }

    return this.send(res, 404, { title: 'Not Found', detail: route });
  }
}

// ---------------------------------------------------------------------------------------------

function seedOf(count: number, templates = 2): Seed {
  const indicators = Array.from({ length: count }, (_, i) => ({
    code: `X-${String(i + 1).padStart(3, '0')}`,
    name: `指标${i + 1}`,
    level1: 'output',
    level2: 'quantity',
    operator: 'gte',
    unit: '个',
    scope: 'individual',
    sector: 'education',
    spendingTypes: ['project'],
    source: { url: 'https://example.gov.cn/t', title: '表' },
  }));
  return {
    sectors: [
      { code: 'education', label: '教育' },
      { code: 'health', label: '卫生健康' },
    ],
    indicators,
    templates: Array.from({ length: templates }, (_, i) => ({
      key: `t${i + 1}`,
      name: `模板${i + 1}`,
      spendingType: 'project',
      sector: 'education',
      fiscalYear: 2026,
      indicators: [{ code: 'X-001' }],
      sources: [{ url: 'https://example.gov.cn/t', title: '表' }],
    })),
  };
}

class Capture {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(s: string) {
    this.text += s;
    return true;
  }
}

const servers: FakeApi[] = [];
const homes: string[] = [];

async function fake(options?: FakeOptions) {
  const api = new FakeApi(options);
  servers.push(api);
  return { api, url: await api.start() };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

describe('seed CLI', () => {
  it('sends the indicators in chunks, published and without their source', async () => {
    const { api, url } = await fake();
    const summary = await runSeed({ http: createHttp(url, 't'), seed: seedOf(450), progress: new Capture(false), chunkSize: 200 });
    expect(api.imports.map((i) => i.indicators.length)).toEqual([200, 200, 50]);
    expect(api.imports.every((i) => i.publish === true)).toBe(true);
    expect(api.imports.flatMap((i) => i.indicators).some((ind) => 'source' in ind)).toBe(false);
    expect(api.imports[1]?.indicators[0]?.code).toBe('X-201');
    expect(summary).toEqual({ sectors: 2, indicators: { total: 450, imported: 450, skipped: 0 }, templates: { created: 2, alreadyThere: 0 } });
  });

  it('upserts the sectors before the first import', async () => {
    const { api, url } = await fake();
    await runSeed({ http: createHttp(url, 't'), seed: seedOf(3), progress: new Capture(false) });
    expect(api.calls.slice(0, 3)).toEqual(['PUT /v1/indicators/sectors/education', 'PUT /v1/indicators/sectors/health', 'POST /v1/indicators/imports?partial=false']);
  });

  it('redraws the progress bar in place on a terminal', async () => {
    const { url } = await fake();
    const stderr = new Capture(true);
    await runSeed({ http: createHttp(url, 't'), seed: seedOf(450), progress: stderr, chunkSize: 200 });
    expect(stderr.text).toContain('\r[#########-----------] 200/450 indicators');
    expect(stderr.text).toContain('\r[####################] 450/450 indicators\n');
    expect(stderr.text).toContain('\r[####################] 2/2 templates\n');
  });

  it('prints one plain progress line per tenth when stderr is not a terminal', async () => {
    const { url } = await fake();
    const stderr = new Capture(false);
    await runSeed({ http: createHttp(url, 't'), seed: seedOf(100, 0), progress: stderr, chunkSize: 5 });
    const lines = stderr.text.split('\n').filter((l) => l.includes('indicators'));
    expect(stderr.text).not.toContain('\r');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('[##------------------] 10/100 indicators');
    expect(lines[9]).toBe('[####################] 100/100 indicators');
  });

  it('skips what is already there when run a second time', async () => {
    const { api, url } = await fake();
    const seed = seedOf(30);
    await runSeed({ http: createHttp(url, 't'), seed, progress: new Capture(false) });
    const again = await runSeed({ http: createHttp(url, 't'), seed, progress: new Capture(false) });
    expect(again).toEqual({ sectors: 2, indicators: { total: 30, imported: 0, skipped: 30 }, templates: { created: 0, alreadyThere: 2 } });
    expect(api.templates.size).toBe(2);
  });

  it('takes a replayed template whose publish is refused as already there', async () => {
    const { api, url } = await fake({ hideTemplatesFromList: true });
    const seed = seedOf(3, 1);
    await runSeed({ http: createHttp(url, 't'), seed, progress: new Capture(false) });
    const again = await runSeed({ http: createHttp(url, 't'), seed, progress: new Capture(false) });
    expect(again.templates).toEqual({ created: 0, alreadyThere: 1 });
    expect(api.templates.size).toBe(1);
    expect([...api.templates.values()][0]?.status).toBe('published');
  });

  it('publishes a template an interrupted run left as a draft', async () => {
    const { api, url } = await fake();
    const seed = seedOf(3, 1);
    await runSeed({ http: createHttp(url, 't'), seed: { ...seed, templates: [] }, progress: new Capture(false) });
    api.templates.set('tpl_000000000099', { id: 'tpl_000000000099', name: '模板1', sector: 'education', status: 'draft', version: 3, body: { name: '模板1', sector: 'education' } });
    const summary = await runSeed({ http: createHttp(url, 't'), seed, progress: new Capture(false) });
    expect(summary.templates).toEqual({ created: 1, alreadyThere: 0 });
    expect(api.templates.size).toBe(1);
    expect(api.templates.get('tpl_000000000099')?.status).toBe('published');
  });

  it('polls a running import job until it is done', async () => {
    const { api, url } = await fake({ asyncImports: true });
    const summary = await runSeed({ http: createHttp(url, 't'), seed: seedOf(5, 0), progress: new Capture(false), pollMs: 1 });
    expect(summary.indicators).toEqual({ total: 5, imported: 5, skipped: 0 });
    expect(api.calls.filter((c) => c.startsWith('GET /v1/indicators/imports/'))).toHaveLength(1);
  });
});

describe('npm run seed', () => {
  function home(): string {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-seed-'));
    homes.push(dir);
    return dir;
  }

  function io(env: NodeJS.ProcessEnv) {
    const out: string[] = [];
    const err = new Capture(false);
    return { out, err, io: { out: (line: string) => out.push(line), err, env } };
  }

  it('tells the user to start the runtime when none is running', async () => {
    const run = io({ JIXIAO_HOME: home() });
    expect(await main([], run.io)).toBe(1);
    expect(run.err.text).toContain('npm start');
  });

  it('loads the committed seed into the chosen region with a finance token', async () => {
    const dir = home();
    const keys = await loadOrCreateKeys(dir);
    const claims: unknown[] = [];
    const { api, url } = await fake({ authorize: async (header) => void claims.push(await verifyBearer(keys, header)) });
    writeRuntimeState(
      {
        pid: process.pid,
        apiUrl: 'http://127.0.0.1:9/unused',
        eventBridgeUrl: 'http://127.0.0.1:9',
        dataDir: dir,
        regions: [
          { code: '360000', apiUrl: 'http://127.0.0.1:9/unused', eventBridgeUrl: 'http://127.0.0.1:9', dataDir: dir },
          { code: '360100', apiUrl: url, eventBridgeUrl: 'http://127.0.0.1:9', dataDir: dir },
        ],
      },
      dir,
    );
    const run = io({ JIXIAO_HOME: dir });
    expect(await main(['--region', '360100'], run.io)).toBe(0);
    expect(claims.every((c) => (c as { role: string; region: string }).role === 'finance' && (c as { region: string }).region === '360100')).toBe(true);
    expect(api.sectors.size).toBeGreaterThanOrEqual(11);
    expect(run.out.join('\n')).toMatch(/indicators: \d+ imported, 0 skipped/);
    expect(run.out.join('\n')).toMatch(/templates: {2}\d+ created, 0 already there/);
  });

  it('prints the refused rows of an import with their codes and exits 1', async () => {
    const dir = home();
    const { url } = await fake({ invalidCodes: ['X-002'] });
    writeRuntimeState({ pid: process.pid, apiUrl: url, eventBridgeUrl: 'http://127.0.0.1:9', dataDir: dir }, dir);
    const seedDir = join(dir, 'seed');
    mkdirSync(seedDir);
    const seed = seedOf(3);
    for (const [file, content] of Object.entries({ 'sectors.json': seed.sectors, 'indicators.json': seed.indicators, 'templates.json': seed.templates })) {
      writeFileSync(join(seedDir, file), JSON.stringify(content));
    }
    const run = io({ JIXIAO_HOME: dir });
    expect(await main(['--seed-dir', seedDir], run.io)).toBe(1);
    expect(run.err.text).toContain('POST /v1/indicators/imports?partial=false failed: 422');
    expect(run.err.text).toContain('indicator 2 (X-002): unit: a quantitative indicator needs a unit');
  });

  it('refuses a region the runtime does not serve', async () => {
    const dir = home();
    writeRuntimeState(
      { pid: process.pid, apiUrl: 'http://127.0.0.1:9', eventBridgeUrl: 'http://127.0.0.1:9', dataDir: dir, regions: [{ code: '360000', apiUrl: 'http://127.0.0.1:9', eventBridgeUrl: 'http://127.0.0.1:9', dataDir: dir }] },
      dir,
    );
    const run = io({ JIXIAO_HOME: dir });
    expect(await main(['--region', '360700'], run.io)).toBe(1);
    expect(run.err.text).toContain('serves region(s) 360000, not 360700');
  });
});
