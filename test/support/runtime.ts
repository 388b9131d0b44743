/**
 * Boots the real local runtime in-process for end-to-end tests: random ports, its own tables
 * (prefix) on the run's shared DynamoDB Local, a throwaway home and data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../infra/local/runtime.ts';
import { testEndpoint, uniquePrefix } from './aws-env.ts';

export interface TestRuntime extends LocalRuntime {
  home: string;
  call(method: string, path: string, init?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function bootRuntime(options: Partial<LocalRuntimeOptions> = {}): Promise<TestRuntime> {
  const home = mkdtempSync(join(tmpdir(), 'jixiao-test-home-'));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const runtime = await startLocalRuntime({
    home,
    inMemory: true,
    port: 0,
    dynamodbEndpoint: testEndpoint(),
    tablePrefix: uniquePrefix(),
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    streamPollIntervalMs: 50,
    logLevel: 'SILENT',
    ...options,
  });
  const stop = runtime.stop;
  return {
    ...runtime,
    home,
    stop: async () => {
      await stop();
      rmSync(home, { recursive: true, force: true });
    },
    call: async (method, path, init = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token) headers.authorization = `Bearer ${init.token}`;
      let body: string | undefined = init.rawBody;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${runtime.apiUrl}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last !== undefined) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

export const sampleIndicator = {
  name: '培训人次',
  level1: 'output',
  level2: 'quantity',
  operator: 'gte',
  unit: '人次',
  basis: 'plan',
  scope: 'common',
  spendingTypes: ['project'],
};
