/**
 * The local EventBridge endpoint: an HTTP server the unchanged `EventBridgeClient` reaches
 * through its `endpoint` setting (EVENTBRIDGE_ENDPOINT). It speaks AWS JSON 1.1 for
 * `AWSEvents.PutEvents` and serves the admin API under `/_local/`.
 *
 * SigV4 signatures are not verified (any credentials work locally), but an Authorization
 * header must be present, as in AWS, so a client that would fail to sign fails here too.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, handleAdmin } from './admin.ts';
import type { BusLogger, LocalEventBus } from './bus.ts';
import type { EventEnvelope } from './envelope.ts';
import { BodyTooLargeError, readBody, sendJson } from './http-util.ts';
import {
  acceptEntry,
  AwsProtocolError,
  JSON_1_1,
  parsePutEventsRequest,
  PUT_EVENTS_TARGET,
  putEventsResponse,
  type EntryFault,
  type EntryResult,
} from './protocol.ts';

/** Raw bodies beyond this are refused; 256 KB of entries fits easily even when JSON-escaped. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface EventBridgeFaults {
  /** Fails an otherwise valid entry with the returned error (tests: partial failures). */
  failEntry?: EntryFault;
}

export interface EventBridgeServerOptions {
  bus: LocalEventBus;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  faults?: EventBridgeFaults;
  logger?: Pick<BusLogger, 'error'>;
}

export interface EventBridgeServer {
  /** `http://127.0.0.1:<port>`: the EVENTBRIDGE_ENDPOINT for handlers and the CLIs. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startEventBridgeServer(options: EventBridgeServerOptions): Promise<EventBridgeServer> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? { error: (message: string, data?: Record<string, unknown>) => console.error(`[eventbridge] ${message}`, data ?? '') };
  const server = createServer((req, res) => {
    handle(req, res, options).catch((error: unknown) => {
      logger.error('request failed', { url: req.url, error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) sendAwsError(res, new AwsProtocolError('InternalException', 'An internal error occurred.', 500));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: EventBridgeServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname.startsWith(ADMIN_PREFIX)) return handleAdmin(req, res, url, options.bus);
  if (req.method !== 'POST' || url.pathname !== '/') {
    req.resume();
    return sendJson(res, 404, { message: `not found: ${req.method} ${url.pathname}; PutEvents is POST / and the admin API is under ${ADMIN_PREFIX}` });
  }
  try {
    sendAws(res, 200, await putEvents(req, options));
  } catch (error) {
    if (!(error instanceof AwsProtocolError)) throw error;
    sendAwsError(res, error);
  }
}

async function putEvents(req: IncomingMessage, { bus, faults }: EventBridgeServerOptions) {
  // Checked before reading the body, in the order AWS does: who, what, how.
  if (!req.headers.authorization) {
    req.resume();
    throw new AwsProtocolError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
  }
  const target = req.headers['x-amz-target'];
  if (target !== PUT_EVENTS_TARGET) {
    req.resume();
    throw new AwsProtocolError('UnknownOperationException', `Unknown operation ${String(target ?? '(no X-Amz-Target)')}; the local endpoint serves ${PUT_EVENTS_TARGET} only.`);
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith(JSON_1_1)) {
    req.resume();
    throw new AwsProtocolError('SerializationException', `Content-Type must be ${JSON_1_1}, got ${contentType || 'none'}.`);
  }
  let body: string;
  try {
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AwsProtocolError('ValidationException', 'Total size of the entries in the request is over the limit.');
    throw error;
  }
  const entries = parsePutEventsRequest(body);
  const now = new Date();
  const results: EntryResult[] = [];
  const accepted: EventEnvelope[] = [];
  entries.forEach((entry, index) => {
    const outcome = acceptEntry(entry, bus, now);
    if (!outcome.ok) {
      results.push(outcome.error);
      return;
    }
    const injected = faults?.failEntry?.(entry, index);
    if (injected) {
      results.push(injected);
      return;
    }
    results.push({ EventId: outcome.envelope.id });
    accepted.push(outcome.envelope);
  });
  // Archived before answering: an EventId in the response means the event is on disk.
  if (accepted.length) await bus.publish(accepted);
  return putEventsResponse(results);
}

function sendAws(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendJson(res, status, body, { 'content-type': JSON_1_1, 'x-amzn-requestid': randomUUID(), ...headers });
}

function sendAwsError(res: ServerResponse, error: AwsProtocolError): void {
  sendAws(res, error.status, error.body(), { 'x-amzn-errortype': error.type });
}
