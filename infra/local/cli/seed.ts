/**
 * `npm run seed [-- --region CODE]`: loads the default provincial library in seed/ (sectors,
 * indicators, "3+X" templates) into the running local runtime through its HTTP API, as a
 * finance user of the region. Re-running it is harmless: sectors are upserts, indicators
 * whose code already exists are skipped by the import, and templates are found by name (or
 * replayed by their Idempotency-Key) instead of created twice.
 *
 * Progress goes to stderr, the summary to stdout. Exit codes: 0 done, 1 failed (runtime not
 * running, an API error), 2 bad usage.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { repoRoot } from '../paths.ts';
import { ApiError, connectToRuntime, RuntimeNotRunning, RuntimeUnreachable, type Http, type HttpRequest, type HttpResponse } from './runtime-client.ts';

// The HTTP client is runtime-client.ts's; re-exported for the seed's tests.
export { createHttp } from './runtime-client.ts';

export const CHUNK_SIZE = 50;

const USAGE = `Usage: npm run seed [-- --region CODE] [--seed-dir DIR]

Loads seed/sectors.json, seed/indicators.json and seed/templates.json into the running local
runtime (start it with \`npm start\`). --region picks one region of a multi-region runtime
(default: the runtime's first region, 360000 unless started otherwise).`;

// ---------------------------------------------------------------------------------------------
// Seed files

export interface SeedSector {
  code: string;
  label: string;
}

export interface SeedIndicator {
  code: string;
  name: string;
  source?: unknown;
  [field: string]: unknown;
}

export interface SeedTemplate {
  key: string;
  name: string;
  spendingType: string;
  sector: string;
  fiscalYear: number;
  description?: string;
  indicators: { code: string }[];
  sources?: unknown;
}

export interface Seed {
  sectors: SeedSector[];
  indicators: SeedIndicator[];
  templates: SeedTemplate[];
}

export function loadSeed(dir: string = join(repoRoot(), 'seed')): Seed {
  const read = <T>(file: string): T => JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
  return { sectors: read('sectors.json'), indicators: read('indicators.json'), templates: read('templates.json') };
}

/** What the API receives: the entry without its provenance (kept in the seed files). */
export function indicatorDraft({ source: _source, ...draft }: SeedIndicator): Record<string, unknown> {
  return draft;
}

function templateDraft({ key: _key, sources: _sources, ...draft }: SeedTemplate): Record<string, unknown> {
  return draft;
}

// ---------------------------------------------------------------------------------------------
// Progress

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * `[#####-----] 120/240 indicators`: redrawn in place on a terminal, otherwise one line each
 * time another tenth is done (so logs stay short).
 */
export class ProgressBar {
  private lastTenth = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
    private readonly label: string,
    private readonly width = 20,
  ) {}

  render(done: number): string {
    const filled = this.total === 0 ? this.width : Math.round((done / this.total) * this.width);
    return `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${done}/${this.total} ${this.label}`;
  }

  update(done: number): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r${this.render(done)}`);
      if (done >= this.total) this.stream.write('\n');
      return;
    }
    const tenth = this.total === 0 ? 10 : Math.floor((done * 10) / this.total);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${this.render(done)}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The seeding itself

export interface SeedSummary {
  sectors: number;
  indicators: { total: number; imported: number; skipped: number };
  templates: { created: number; alreadyThere: number };
}

interface ImportJob {
  jobId: string;
  status?: 'running' | 'done' | 'failed';
  total: number;
  imported: number;
  skipped: number;
  failed: { line: number; field: string; reason: string }[];
}

interface TemplateItem {
  id: string;
  name: string;
  sector: string;
  status: string;
  inherited?: boolean;
}

export interface SeedOptions {
  http: Http;
  seed: Seed;
  progress: ProgressStream;
  chunkSize?: number;
  /** Between polls of a running import job. */
  pollMs?: number;
}

async function call(http: Http, request: HttpRequest, ok: readonly number[], describeLine?: (line: number) => string): Promise<HttpResponse> {
  const response = await http(request);
  if (!ok.includes(response.status)) throw new ApiError(request, response, describeLine);
  return response;
}

export async function runSeed(options: SeedOptions): Promise<SeedSummary> {
  const { http, seed, progress } = options;
  const chunkSize = options.chunkSize ?? CHUNK_SIZE;

  // 1. Sectors first: the import refuses indicators of an unknown sector.
  for (const sector of seed.sectors) {
    await call(http, { method: 'PUT', path: `/v1/indicators/sectors/${encodeURIComponent(sector.code)}`, body: { label: sector.label } }, [200, 201]);
  }

  // 2. Indicators, published, in chunks (each chunk is one import job).
  const indicators = { total: seed.indicators.length, imported: 0, skipped: 0 };
  const bar = new ProgressBar(progress, seed.indicators.length, 'indicators');
  for (let offset = 0; offset < seed.indicators.length; offset += chunkSize) {
    const chunk = seed.indicators.slice(offset, offset + chunkSize);
    const describeLine = (line: number) => `indicator ${offset + line} (${chunk[line - 1]?.code ?? '?'})`;
    const request: HttpRequest = {
      method: 'POST',
      path: '/v1/indicators/imports?partial=false',
      body: { format: 'json', publish: true, indicators: chunk.map(indicatorDraft) },
    };
    const response = await call(http, request, [200, 201, 202], describeLine);
    let job = response.body as ImportJob;
    while (job.status === 'running') {
      await new Promise((done) => setTimeout(done, options.pollMs ?? 500));
      job = (await call(http, { method: 'GET', path: `/v1/indicators/imports/${encodeURIComponent(job.jobId)}` }, [200])).body as ImportJob;
    }
    if (job.status === 'failed' || job.failed?.length) {
      throw new ApiError(request, { ...response, body: { title: `import job ${job.jobId} ${job.status ?? 'reported failures'}`, rows: job.failed } }, describeLine);
    }
    indicators.imported += job.imported;
    indicators.skipped += job.skipped;
    bar.update(offset + chunk.length);
  }
  if (seed.indicators.length === 0) bar.update(0);

  // 3. Templates: found by name if there, else created (Idempotency-Key), then published.
  const existing = await listTemplates(http);
  const templates = { created: 0, alreadyThere: 0 };
  const templateBar = new ProgressBar(progress, seed.templates.length, 'templates');
  for (const [index, template] of seed.templates.entries()) {
    const found = existing.find((t) => !t.inherited && t.name === template.name && t.sector === template.sector);
    const outcome = found ? await finishExisting(http, found.id) : await createAndPublish(http, template);
    templates[outcome]++;
    templateBar.update(index + 1);
  }
  if (seed.templates.length === 0) templateBar.update(0);

  return { sectors: seed.sectors.length, indicators, templates };
}

async function listTemplates(http: Http): Promise<TemplateItem[]> {
  const items: TemplateItem[] = [];
  let cursor: string | undefined;
  do {
    const query = `spendingType=project&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await call(http, { method: 'GET', path: `/v1/indicators/templates?${query}` }, [200])).body as { items: TemplateItem[]; nextCursor?: string };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

type Outcome = 'created' | 'alreadyThere';

/** A template of this name exists: publish it if a previous run stopped before that. */
async function finishExisting(http: Http, id: string): Promise<Outcome> {
  const current = await call(http, { method: 'GET', path: `/v1/indicators/templates/${encodeURIComponent(id)}` }, [200]);
  if ((current.body as TemplateItem).status !== 'draft') return 'alreadyThere';
  await call(http, { method: 'POST', path: `/v1/indicators/templates/${encodeURIComponent(id)}/publish`, headers: { 'if-match': current.headers.etag ?? '' } }, [200]);
  return 'created';
}

async function createAndPublish(http: Http, template: SeedTemplate): Promise<Outcome> {
  const created = await call(
    http,
    { method: 'POST', path: '/v1/indicators/templates', body: templateDraft(template), headers: { 'idempotency-key': `seed-template-${template.key}` } },
    [200, 201],
  );
  const id = (created.body as TemplateItem).id;
  const publish: HttpRequest = { method: 'POST', path: `/v1/indicators/templates/${encodeURIComponent(id)}/publish`, headers: { 'if-match': created.headers.etag ?? '' } };
  const published = await http(publish);
  if (published.status === 200) return 'created';
  // A replayed create carries the first response's ETag: the template has moved on since.
  if (created.headers['idempotent-replayed'] === 'true' && (published.status === 409 || published.status === 412)) return finishExisting(http, id);
  throw new ApiError(publish, published);
}

// ---------------------------------------------------------------------------------------------
// CLI

export interface CliIo {
  out(line: string): void;
  err: ProgressStream;
  env: NodeJS.ProcessEnv;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const fail = (message: string, code = 1) => {
    io.err.write(`${message}\n`);
    return code;
  };
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: { region: { type: 'string' }, 'seed-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    io.err.write(`${USAGE}\n`);
    return 0;
  }
  if (values.region !== undefined && !/^\d{6}$/.test(values.region)) return fail(`--region must be a 6-digit division code (got ${values.region})\n\n${USAGE}`, 2);

  try {
    const seed = loadSeed(values['seed-dir'] ? resolve(values['seed-dir']) : undefined);
    const { region, apiUrl, http } = await connectToRuntime(io.env, values.region, { role: 'finance', sub: 'seed' });
    io.err.write(`Seeding region ${region} at ${apiUrl}\n`);
    const summary = await runSeed({ http, seed, progress: io.err });
    io.out(`Seeded region ${region} (${apiUrl})`);
    io.out(`  sectors:    ${summary.sectors} upserted`);
    io.out(`  indicators: ${summary.indicators.imported} imported, ${summary.indicators.skipped} skipped (already there), ${summary.indicators.total} in the seed`);
    io.out(`  templates:  ${summary.templates.created} created, ${summary.templates.alreadyThere} already there`);
    return 0;
  } catch (error) {
    if (error instanceof RuntimeNotRunning) return fail(`${error.message}, then run \`npm run seed\` again.`);
    if (error instanceof RuntimeUnreachable) return fail(`${error.message}.\nIs the local runtime running? Start it with \`npm start\` first.`);
    if (error instanceof ApiError) return fail(`\n${error.message}`);
    return fail(`error: ${(error as Error).message}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), {
    out: (line) => console.log(line),
    err: process.stderr,
    env: process.env,
  });
}
