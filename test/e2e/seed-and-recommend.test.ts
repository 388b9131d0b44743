/**
 * `npm run seed` loads the default provincial library into a running local runtime; a
 * recommendation for a project in a seeded sector then returns that sector's 3+X template,
 * with common indicators in all four level-1 categories, and ranks what matches the text.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootRuntime, type TestRuntime } from '../support/runtime.ts';

const repo = join(import.meta.dirname, '..', '..');
let rt: TestRuntime;
let unit: string;

/** Runs the real CLI as a child process (asynchronously: the runtime it talks to lives in this process). */
function seed(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/cli/seed.ts'], { cwd: repo, env: { ...process.env, JIXIAO_HOME: rt.home } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`seed exited ${code}: ${stderr}`));
    });
  });
}

beforeAll(async () => {
  rt = await bootRuntime({ writeState: true });
  unit = await rt.token({ role: 'unit', department: 'D-EDU', unit: 'U-EDU-01' });
}, 120_000);
afterAll(async () => rt?.stop());

describe('seeded library and recommendations', () => {
  // Two runs of the seed CLI, each a process of its own loading the whole default library through
  // the runtime (about 25-35 s each here, more while the suite's other files run): the suite's
  // default of 60 s is too short for two; each run still has its own 120 s limit above.
  it('loads the default library, and loads nothing twice on a second run', { timeout: 300_000 }, async () => {
    await seed();
    const list = await rt.call('GET', '/v1/indicators?limit=100&status=published', { token: unit });
    expect(list.body.items.length).toBeGreaterThanOrEqual(100);
    const templates = await rt.call('GET', '/v1/indicators/templates?status=published', { token: unit });
    const count = templates.body.items.length;
    expect(count).toBeGreaterThanOrEqual(5);

    await seed();
    const again = await rt.call('GET', '/v1/indicators/templates?status=published', { token: unit });
    expect(again.body.items.length).toBe(count);
  });

  it("recommends the sector's template with common indicators in all four level-1 categories", async () => {
    const r = await rt.call('POST', '/v1/indicators/recommendations', {
      token: unit,
      body: { spendingType: 'project', sector: 'education', fiscalYear: 2026, description: '为家庭经济困难的高中学生发放国家助学金，按时足额资助到人' },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.template).toMatchObject({ fiscalYear: 2026 });
    const common = r.body.recommendations.filter((x: { source: string; indicator: { scope: string } }) => x.source === 'template' && x.indicator.scope === 'common');
    expect(new Set(common.map((x: { indicator: { level1: string } }) => x.indicator.level1))).toEqual(new Set(['output', 'cost', 'benefit', 'satisfaction']));
    expect(r.body.coverage).toEqual(['output', 'cost', 'benefit', 'satisfaction']);
    const sectorOnes = r.body.recommendations.filter((x: { indicator: { scope: string; sector?: string } }) => x.indicator.scope === 'individual');
    expect(sectorOnes.length).toBeGreaterThan(0);
    expect(sectorOnes.every((x: { indicator: { sector: string } }) => x.indicator.sector === 'education')).toBe(true);
    expect(r.body.recommendations.every((x: { why: string }) => x.why.length > 20)).toBe(true);
    // The best-ranked individual indicator shares a word with the description and says which.
    const quoted = /「(.+?)」/.exec(sectorOnes[0].why)?.[1];
    expect(quoted).toBeDefined();
    expect(sectorOnes[0].indicator.name).toContain(quoted);
    expect('为家庭经济困难的高中学生发放国家助学金，按时足额资助到人').toContain(quoted);
  });

  it('recommends nothing from a template for a sector without one, but still answers', async () => {
    const r = await rt.call('POST', '/v1/indicators/recommendations', { token: unit, body: { spendingType: 'project', sector: 'transport', description: '农村公路养护' } });
    expect(r.status).toBe(200);
    expect(r.body.template).toBeUndefined();
  });
});
