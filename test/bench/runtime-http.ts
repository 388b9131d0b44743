/**
 * A small HTTP/1.1 client for the runtime bench, on `node:http` with a keep-alive agent (the
 * same kind of connection pool the AWS SDK uses for the raw DynamoDB baseline), loopback only,
 * every request bounded by a timeout.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body parsed (the text when it is not JSON; undefined when empty). */
  readonly body: any;
  readonly ms: number;
}

export interface CallInit {
  readonly token?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export type Call = (method: string, path: string, init?: CallInit) => Promise<HttpReply>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const REQUEST_TIMEOUT_MS = 30_000;

/** Refuses anything but a loopback URL: the bench never sends load elsewhere. */
export function assertLoopback(url: string, what: string): URL {
  const parsed = new URL(url);
  if (!LOOPBACK.has(parsed.hostname)) throw new Error(`${what} ${url} is not a loopback address; the runtime bench only talks to 127.0.0.1`);
  return parsed;
}

export interface HttpClient {
  readonly call: Call;
  close(): void;
}

export function httpClient(baseUrl: string, maxSockets: number): HttpClient {
  const base = assertLoopback(baseUrl, 'API URL');
  const agent = new Agent({ keepAlive: true, maxSockets });
  const call: Call = (method, path, init = {}) => {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const payload = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body));
    if (payload) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(payload.length);
    }
    const started = performance.now();
    return new Promise<HttpReply>((resolve, reject) => {
      const req = request({ host: base.hostname.replace(/^\[|\]$/g, ''), port: base.port, method, path, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', reject);
        res.once('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text || undefined;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started });
        });
      });
      req.once('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
      req.once('error', reject);
      req.end(payload);
    });
  };
  return { call, close: () => agent.destroy() };
}
