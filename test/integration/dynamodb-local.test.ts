/**
 * DynamoDB Local's process lifecycle: it never outlives the Node process that started it,
 * however that process ends, and a missing Java gets one clear message.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJava, JavaMissingError, startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { eventually } from '../support/runtime.ts';

const scratch = mkdtempSync(join(tmpdir(), 'jixiao-ddb-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function javaWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const cmdline = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        const argv0 = cmdline.split('\0')[0] ?? '';
        return /(^|\/)java$/.test(argv0) && cmdline.includes('DynamoDBLocal.jar') && cmdline.includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('DynamoDB Local lifecycle', () => {
  it('stops Java when stopped', async () => {
    const dir = join(scratch, 'stop');
    const engine = await startDynamoDbLocal({ dataDir: dir });
    expect(javaWith(dir)).toHaveLength(1);
    await engine.stop();
    expect(javaWith(dir)).toEqual([]);
  });

  it('stops Java when the owning Node process is killed with SIGKILL', async () => {
    const dir = join(scratch, 'sigkill');
    const script = `
      import { startDynamoDbLocal } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'infra', 'local', 'dynamodb-local.ts'))};
      await startDynamoDbLocal({ dataDir: ${JSON.stringify(dir)} });
      console.log('up');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => child.stdout?.on('data', (d) => String(d).includes('up') && resolve()));
      expect(javaWith(dir)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
    await eventually(async () => (javaWith(dir).length === 0 ? true : undefined), 10_000, 100);
  });

  it('explains how to install Java when there is none', () => {
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = join(scratch, 'no-java-here');
    try {
      expect(() => checkJava()).toThrow(JavaMissingError);
      expect(() => checkJava()).toThrow(/Java 17 or newer.*\n.*Install it/s);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });

  it('leaves no Java behind when the runtime fails to start (port taken)', async () => {
    const home = join(scratch, 'failed-start');
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startLocalRuntime({ home, port, logLevel: 'SILENT', warm: false })).rejects.toThrow(/EADDRINUSE/);
      expect(javaWith(home)).toEqual([]);
    } finally {
      blocker.close();
    }
  });
});
