/**
 * Local sandboxes behave like Lambda's: one invocation per sandbox at a time, more sandboxes
 * up to the function's concurrency, the rest waiting; a timeout fails only its own invocation.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalFunction } from '../../infra/local/lambda/host.ts';

const repo = join(import.meta.dirname, '..', '..');
let fn: LocalFunction | undefined;
afterEach(async () => fn?.close());

function sleepy(concurrency: number, timeoutSeconds = 10) {
  fn = new LocalFunction(
    { name: 'test-sleepy', entry: 'test/support/fixtures/sleepy-handler.ts', environment: { TABLE_NAME: 'sleepy-table' }, timeoutSeconds, memoryMb: 128, awsRegion: 'cn-northwest-1', concurrency },
    repo,
  );
  return fn;
}

type Reply = { threadId: number; table: string; startedAt: number; endedAt: number };

describe('local Lambda sandboxes', () => {
  it('runs each function with its own environment', async () => {
    expect(await sleepy(1).invoke<Reply>({ ms: 1 })).toMatchObject({ table: 'sleepy-table' });
  });

  it('runs concurrent invocations in separate sandboxes, one at a time each', async () => {
    const f = sleepy(2);
    await f.warm();
    const replies = await Promise.all([f.invoke<Reply>({ ms: 300 }), f.invoke<Reply>({ ms: 300 })]);
    expect(new Set(replies.map((r) => r.threadId)).size).toBe(2);
    expect(f.coldStarts).toBe(2);
  });

  it('makes invocations beyond the concurrency wait for a free sandbox', async () => {
    const f = sleepy(1);
    await f.warm();
    const [first, second] = (await Promise.all([f.invoke<Reply>({ ms: 100 }), f.invoke<Reply>({ ms: 100 })])).sort((a, b) => a.startedAt - b.startedAt) as [Reply, Reply];
    expect(second.threadId).toBe(first.threadId);
    // The second ran after the first had finished, never alongside it.
    expect(second.startedAt).toBeGreaterThanOrEqual(first.endedAt);
  });

  it('fails only the invocation that timed out, and replaces its sandbox', async () => {
    const f = sleepy(2, 1);
    await f.warm();
    const [slow, quick] = await Promise.allSettled([f.invoke({ ms: 3000 }), f.invoke({ ms: 50 })]);
    expect(slow.status).toBe('rejected');
    expect((slow as PromiseRejectedResult).reason.message).toMatch(/Task timed out after 1 seconds/);
    expect(quick.status).toBe('fulfilled');
    expect(await f.invoke<Reply>({ ms: 1 })).toMatchObject({ table: 'sleepy-table' });
  });
});
