/**
 * What the CLIs that talk to the running local runtime share: find it (its state file), pick the
 * region's API, and call it as a user of that region with a token signed by the runtime's keys.
 */
import { issueToken, loadOrCreateKeys } from '../keys.ts';
import { DEFAULT_REGION } from '../multi-region.ts';
import { isProcessAlive, jixiaoHome, readRuntimeState } from '../paths.ts';

export class RuntimeNotRunning extends Error {}

/** The region's API of the running runtime, as `role` (`sub` names the CLI in the audit trail). */
export async function connectToRuntime(env: NodeJS.ProcessEnv, askedRegion: string | undefined, claims: { role: 'finance'; sub: string }): Promise<{ region: string; apiUrl: string; http: Http }> {
  const home = jixiaoHome(env);
  const state = readRuntimeState(home);
  if (!state || !isProcessAlive(state.pid)) throw new RuntimeNotRunning('The local runtime is not running: start it with `npm start` first');
  const region = askedRegion ?? state.regions?.[0]?.code ?? DEFAULT_REGION;
  let apiUrl = state.apiUrl;
  if (state.regions) {
    const served = state.regions.find((r) => r.code === region);
    if (!served) throw new RuntimeNotRunning(`The running runtime serves region(s) ${state.regions.map((r) => r.code).join(', ')}, not ${region}; pass one of them with --region`);
    apiUrl = served.apiUrl;
  }
  const token = await issueToken(await loadOrCreateKeys(home), { ...claims, region }, { ttlSeconds: 3600 });
  return { region, apiUrl, http: createHttp(apiUrl, token) };
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: unknown;
}

/** Every call a CLI makes to the runtime goes through one of these. */
export type Http = (request: HttpRequest) => Promise<HttpResponse>;

export class RuntimeUnreachable extends Error {}

/** JSON over fetch with a bearer token. */
export function createHttp(baseUrl: string, token: string): Http {
  const base = baseUrl.replace(/\/+$/, '');
  return async ({ method, path, body, headers }) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json, application/problem+json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RuntimeUnreachable(`cannot reach the local runtime at ${base} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* keep the text */
    }
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      out[name.toLowerCase()] = value;
    });
    return { status: response.status, headers: out, body: parsed };
  };
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
  rows?: { line: number; field: string; reason: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly request: HttpRequest,
    readonly response: HttpResponse,
    /** Explains `rows[].line` (e.g. maps a line of a chunk to the indicator's code). */
    describeLine: (line: number) => string = (line) => `line ${line}`,
  ) {
    const problem = (typeof response.body === 'object' && response.body ? response.body : {}) as Problem;
    const lines = [`${request.method} ${request.path} failed: ${response.status} ${problem.title ?? ''}`.trimEnd()];
    if (problem.detail) lines.push(`  ${problem.detail}`);
    else if (typeof response.body === 'string' && response.body) lines.push(`  ${response.body.slice(0, 500)}`);
    if (problem.rows?.length) {
      for (const row of problem.rows) lines.push(`  ${describeLine(row.line)}: ${row.field}: ${row.reason}`);
    } else {
      for (const e of problem.errors ?? []) lines.push(`  ${e.field}: ${e.message}`);
    }
    super(lines.join('\n'));
    this.name = 'ApiError';
  }
}

