/**
 * The developer's path, with the real commands: `npm start` prints the ready banner, a token
 * from `npm run token` works, a published indicator shows in the timeline and in
 * `npm run events -- tail`; Ctrl-C (SIGINT to the process group) leaves no Java process; a
 * second `npm start` still has the indicator.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, sampleIndicator } from '../support/runtime.ts';

const repo = join(import.meta.dirname, '..', '..');
const home = mkdtempSync(join(tmpdir(), 'jixiao-npm-start-'));
const env = { ...process.env, JIXIAO_HOME: home, PORT: '0', LOG_LEVEL: 'SILENT' };
const started: ChildProcess[] = [];

/** PIDs of Java processes whose command line mentions this test's home (its DynamoDB Local). */
function javaOfThisTest(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('java') || cmdline.includes('/java\0')) if (cmdline.includes(home)) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

async function npmStart(): Promise<{ child: ChildProcess; apiUrl: string; output: () => string }> {
  const child = spawn('npm', ['start'], { cwd: repo, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const apiUrl = await eventually(async () => /API\s+(http:\/\/\S+)\/v1/.exec(output)?.[1], 30_000, 100).catch(() => {
    throw new Error(`no ready banner within 30 s:\n${output}`);
  });
  return { child, apiUrl, output: () => output };
}

/** Ctrl-C: SIGINT to the whole foreground process group (npm, its shell, node); resolves with the runtime's last words. */
async function interrupt(started: { child: ChildProcess; output: () => string }): Promise<string> {
  process.kill(-(started.child.pid as number), 'SIGINT');
  await eventually(async () => (/Stopped\.|Stop failed/.test(started.output()) ? true : undefined), 15_000, 50);
  return started.output();
}

function npmRun(...args: string[]): string {
  const result = spawnSync('npm', ['run', ...args], { cwd: repo, env, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`npm run ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

afterAll(async () => {
  for (const child of started) {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  rmSync(home, { recursive: true, force: true });
});

describe('npm start, npm run token, npm run events, Ctrl-C and restart', () => {
  it('runs the whole path and keeps data across a restart', async () => {
    const first = await npmStart();
    expect(first.output()).toMatch(/ready in/);
    expect(first.output()).toContain(join(home, 'data'));

    const token = npmRun('token', '--', '--role', 'finance', '--region', '360000').trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const created = await fetch(`${first.apiUrl}/v1/indicators`, { method: 'POST', headers: auth, body: JSON.stringify(sampleIndicator) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const published = await fetch(`${first.apiUrl}/v1/indicators/${id}/publish`, { method: 'POST', headers: { ...auth, 'if-match': created.headers.get('etag') as string } });
    expect(published.status).toBe(200);

    const timeline = await eventually(async () => {
      const r = (await (await fetch(`${first.apiUrl}/v1/accountability/timeline/${id}`, { headers: auth })).json()) as { items: { detailType: string }[] };
      return r.items.length ? r.items : undefined;
    }, 2000);
    expect(timeline[0]?.detailType).toBe('IndicatorPublished');
    const tail = npmRun('events', '--', 'tail');
    expect(tail).toContain('IndicatorPublished');
    expect(tail).toContain(id);
    // The maintenance command of the maintained views, against this runtime.
    const verified = npmRun('rebuild-views', '--', '--year', '2027', '--verify');
    expect(verified).toContain('evaluation.coverage 360000 2027: verified: consistent with its sources');
    expect(verified).toContain('accountability.summaries 360000 2027: verified: consistent with its sources');

    expect(javaOfThisTest()).toHaveLength(1);
    expect(await interrupt(first)).toMatch(/SIGINT: stopping the local runtime\.\.\.\nStopped\./);
    expect(javaOfThisTest()).toEqual([]);

    const second = await npmStart();
    const again = await fetch(`${second.apiUrl}/v1/indicators/${id}`, { headers: auth });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { status: string }).status).toBe('published');
    expect(await interrupt(second)).toMatch(/Stopped\./);
    expect(javaOfThisTest()).toEqual([]);
  });
});
