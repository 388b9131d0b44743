/**
 * The local HTTP front: what API Gateway's HTTP API does in AWS. It matches the manifests'
 * routes, verifies JWTs like the JWT authorizer (signature, issuer, audience, expiry), builds
 * payload-2.0 events and calls the unchanged API handlers, then turns their structured
 * results back into HTTP responses.
 *
 * One deliberate difference: where the AWS authorizer answers a rejected token with its fixed
 * `{"message":"Unauthorized"}`, the local front answers problem+json saying why (expired, wrong
 * audience, ...), which is what a developer needs. Status codes are the same.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { Problem } from '../../shared/errors.ts';
import { API_SECURITY_HEADERS } from '../../shared/http/security-headers.ts';
import { verifyBearer, TokenRejected, type LocalKeys } from './keys.ts';
import type { RouteTable } from './route-table.ts';

/** API Gateway's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface FrontTarget {
  invoke(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<unknown>;
}

export interface HttpFrontOptions {
  routes: RouteTable<FrontTarget>;
  keys: LocalKeys;
  port: number;
  host?: string;
  /** Origins allowed by CORS (the region's portal origins). */
  corsOrigins?: readonly string[];
  accountId?: string;
  onError?: (message: string, error?: unknown) => void;
}

export interface HttpFront {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const TEXT_TYPES = /^(application\/([a-z0-9.+-]*\+)?(json|xml|x-www-form-urlencoded)|text\/)/i;

function problem(res: ServerResponse, p: Problem, path: string, requestId: string, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify(p.toBody(path, requestId));
  res.writeHead(p.status, { ...API_SECURITY_HEADERS, 'content-type': 'application/problem+json', 'apigw-requestid': requestId, ...p.headers, ...extraHeaders });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        reject(new Problem(413, 'payload-too-large', `Request bodies are limited to ${MAX_PAYLOAD_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function joinedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  // No prototype: a parameter named `__proto__` is an own key, as in API Gateway's JSON event
  // (on a plain object the assignment would set the prototype and drop the parameter).
  const result: Record<string, string> = Object.create(null);
  for (const [name, value] of search) result[name] = name in result ? `${result[name]},${value}` : value;
  return Object.keys(result).length ? result : undefined;
}

function apiGatewayTime(date: Date): string {
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} +0000`;
}

function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'etag,location,x-correlation-id,idempotent-replayed',
    vary: 'origin',
  };
}

/** Writes a handler's result the way API Gateway interprets payload-2.0 responses. */
function writeResult(res: ServerResponse, result: unknown, requestId: string, cors: Record<string, string>): void {
  const structured =
    result && typeof result === 'object' && 'statusCode' in result
      ? (result as APIGatewayProxyStructuredResultV2)
      : { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
  const headers: Record<string, string | string[]> = { 'apigw-requestid': requestId, ...cors };
  for (const [name, value] of Object.entries(structured.headers ?? {})) {
    // middy's security-headers middleware removes headers by setting them to undefined.
    if (value === undefined || value === null || value === '') continue;
    headers[name.toLowerCase()] = String(value);
  }
  if (structured.cookies?.length) headers['set-cookie'] = structured.cookies;
  const body = structured.body === undefined ? undefined : structured.isBase64Encoded ? Buffer.from(structured.body, 'base64') : structured.body;
  res.writeHead(structured.statusCode ?? 200, headers);
  res.end(body);
}

export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  const allowedOrigins = options.corsOrigins ?? [];
  const accountId = options.accountId ?? '000000000000';

  const server: Server = createServer((req, res) => {
    // The handler answers every request itself, errors included; the server does not wait on it.
    void (async () => {
      const requestId = randomUUID();
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = (req.method ?? 'GET').toUpperCase();
      const headers = joinedHeaders(req);
      const cors = corsHeaders(headers.origin, allowedOrigins);
      try {
        if (method === 'OPTIONS' && headers['access-control-request-method']) {
          const methods = options.routes.methodsFor(url.pathname);
          if (!Object.keys(cors).length || methods.length === 0) {
            res.writeHead(204, { ...API_SECURITY_HEADERS, 'apigw-requestid': requestId });
            res.end();
            return;
          }
          res.writeHead(204, {
            ...API_SECURITY_HEADERS,
            ...cors,
            'access-control-allow-methods': methods.join(','),
            'access-control-allow-headers': 'authorization,content-type,if-match,idempotency-key,x-correlation-id',
            'access-control-max-age': '600',
            'apigw-requestid': requestId,
          });
          res.end();
          return;
        }

        const match = options.routes.match(method, url.pathname);
        if (!match) {
          const allowed = options.routes.methodsFor(url.pathname);
          if (allowed.length) throw new Problem(405, 'method-not-allowed', `${method} is not supported here; use ${allowed.join(', ')}`);
          throw new Problem(404, 'no-such-route', `No route ${method} ${url.pathname}`);
        }

        let claims: Record<string, unknown> | undefined;
        if (match.route.auth === 'jwt') {
          try {
            claims = await verifyBearer(options.keys, headers.authorization);
          } catch (error) {
            if (error instanceof TokenRejected) {
              throw new Problem(401, 'unauthorized', error.message, {
                errors: [{ field: 'header.authorization', message: error.message }],
                headers: { 'www-authenticate': 'Bearer' },
              });
            }
            throw error;
          }
        }

        const raw = await readBody(req);
        const contentType = headers['content-type'] ?? '';
        const isText = raw.length === 0 || TEXT_TYPES.test(contentType);
        const now = new Date();
        const query = queryParameters(url.searchParams);
        const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
          version: '2.0',
          routeKey: match.routeKey,
          rawPath: url.pathname,
          rawQueryString: url.search.slice(1),
          ...(headers.cookie ? { cookies: headers.cookie.split(/;\s*/) } : {}),
          headers,
          ...(query ? { queryStringParameters: query } : {}),
          requestContext: {
            accountId,
            apiId: 'local',
            ...(claims
              ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims as Record<string, string>, scopes: [] } } }
              : {}),
            domainName: headers.host ?? 'localhost',
            domainPrefix: (headers.host ?? 'localhost').split('.')[0] as string,
            http: {
              method,
              path: url.pathname,
              protocol: `HTTP/${req.httpVersion}`,
              sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
              userAgent: headers['user-agent'] ?? '',
            },
            requestId,
            routeKey: match.routeKey,
            stage: '$default',
            time: apiGatewayTime(now),
            timeEpoch: now.getTime(),
          },
          ...(Object.keys(match.pathParameters).length ? { pathParameters: match.pathParameters } : {}),
          ...(raw.length ? { body: isText ? raw.toString('utf8') : raw.toString('base64') } : {}),
          isBase64Encoded: !isText,
        } as APIGatewayProxyEventV2WithJWTAuthorizer;

        let result: unknown;
        try {
          result = await match.target.invoke(event);
        } catch (error) {
          // Lambda failed (threw, timed out, crashed): API Gateway answers a bare 500.
          options.onError?.(`handler for ${match.routeKey} failed`, error);
          res.writeHead(500, { ...API_SECURITY_HEADERS, 'content-type': 'application/json', 'apigw-requestid': requestId, ...cors });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
          return;
        }
        writeResult(res, result, requestId, cors);
      } catch (error) {
        if (error instanceof Problem) return problem(res, error, url.pathname, requestId, cors);
        options.onError?.('local front failed', error);
        if (!res.headersSent) {
          res.writeHead(500, { ...API_SECURITY_HEADERS, 'content-type': 'application/json', 'apigw-requestid': requestId });
          res.end(JSON.stringify({ message: 'Internal Server Error' }));
        }
      }
    })();
  });

  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
