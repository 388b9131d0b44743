/**
 * The simulated users' HTTP client: plain fetch against the local runtime's front, timed per
 * request and filed in a LoadStats. Each call says which refusals it expects and why (a stale
 * ETag after a colleague's write, a lost race, an object whose approval has not reached the
 * service yet); a refusal it did not expect stays unexplained and fails the test.
 */
import { performance } from 'node:perf_hooks';
import { LoadStats, routeKeyOf } from './load-stats.ts';

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export interface Allowed {
  status: number;
  /** Problem type(s) (last path segment); any when left out. */
  problem?: string | readonly string[];
  /** Extra condition on the problem body. */
  when?: (body: any) => boolean;
  why: string;
}

export interface CallInit {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  allow?: readonly Allowed[];
}

/** Refusals every optimistic write may meet when several users work on one record. */
export const CONFLICTS: readonly Allowed[] = [
  { status: 412, problem: 'precondition-failed', why: 'stale ETag: someone wrote since this user read' },
  { status: 409, problem: 'concurrent-update', why: 'lost the race between read and conditional write' },
];

/** A workflow step refused because another user's accepted write moved the record on. */
export const MOVED_ON: Allowed = { status: 409, problem: 'invalid-state', why: 'another user moved the record to a state where this step no longer applies' };

export const etagOf = (r: Reply) => r.headers.get('etag') ?? '';

export class LoadClient {
  constructor(
    private readonly baseUrl: string,
    /** Where requests are filed; swapped between setup, load and verification. */
    public stats: LoadStats,
  ) {}

  async call(method: string, path: string, init: CallInit = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers['content-type'] = 'application/json';
    }
    const routeKey = routeKeyOf(method, path);
    const started = performance.now();
    let status: number;
    let text: string;
    let responseHeaders: Headers;
    try {
      const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
      text = await response.text();
      status = response.status;
      responseHeaders = response.headers;
    } catch (error) {
      // A connection the front dropped counts as a server error (the user saw no answer).
      this.stats.add({ routeKey, status: 599, ms: performance.now() - started, detail: `network: ${(error as Error).message}` });
      return { status: 599, headers: new Headers(), body: { detail: (error as Error).message } };
    }
    const ms = performance.now() - started;
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    const problem = status >= 400 && typeof parsed?.type === 'string' ? (parsed.type as string).split('/').pop() : undefined;
    let explained: string | undefined;
    if (status >= 400 && status < 500) {
      const match = (init.allow ?? []).find(
        (a) =>
          a.status === status &&
          (a.problem === undefined || (typeof a.problem === 'string' ? a.problem === problem : a.problem.includes(problem ?? ''))) &&
          (a.when ? a.when(parsed) : true),
      );
      explained = match?.why;
    }
    this.stats.add({
      routeKey,
      status,
      ms,
      ...(problem ? { problem } : {}),
      ...(explained ? { explained } : {}),
      ...(status >= 400 && !explained ? { detail: typeof parsed === 'string' ? parsed.slice(0, 500) : JSON.stringify(parsed).slice(0, 500) } : {}),
    });
    return { status, headers: responseHeaders, body: parsed };
  }
}
