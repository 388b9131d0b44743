/**
 * The HTTP API Lambda of a service: one middy stack shared by every service. It dispatches
 * on API Gateway's `routeKey`, authenticates (claims → actor, region, role), validates path,
 * query and body with the route's zod schemas, handles `Idempotency-Key`, and turns every
 * failure into RFC 9457 problem+json naming the failing fields. Nothing reaches a route
 * implementation (and so nothing is written) unless all of that passed.
 */
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { ENV_KEYS, requireEnv } from '../env.ts';
import { Problem, problems, type FieldError } from '../errors.ts';
import { logger } from '../logger.ts';
import { issuesToFields } from '../validation.ts';
import { actorFromEvent, requireRegion, requireRole, type Actor } from './auth.ts';
import {
  requestHash,
  validateIdempotencyKey,
  type IdempotencyRequest,
  type IdempotencyScope,
  type IdempotencyStore,
  type StoredResponse,
} from './idempotency-key.ts';
import { routeKey, type RouteInput, type RouteOutput, type RouteSpec } from './route.ts';
import { FRAME_HEADERS } from './security-headers.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export interface RequestContext {
  /** Present on every `jwt` route. */
  readonly actor: Actor;
  readonly correlationId: string;
  readonly requestId: string;
  /** Lower-cased request headers. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Division code this deployment serves. */
  readonly deploymentRegion: string;
  /** Set when a creating POST carried an `Idempotency-Key`. */
  readonly idempotency?: IdempotencyScope;
}

export interface Reply<T> {
  status?: number;
  body?: T;
  headers?: Record<string, string>;
  /** A non-JSON body (exports): sent as is with its content type. */
  raw?: { contentType: string; text: string };
}

export type Implementation<S> = (input: RouteInput<S> & { ctx: RequestContext }) => Promise<Reply<RouteOutput<S>>>;

export type Implementations<R extends Record<string, RouteSpec<any, any, any, any>>> = {
  [K in keyof R]: Implementation<R[K]>;
};

const MAX_BODY_BYTES = 1024 * 1024;
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const JSON_MEDIA_TYPE = /^application\/([a-z0-9.+-]+\+)?json(\s*;.*)?$/i;

function validate(schema: z.ZodMiniType | undefined, value: unknown, prefix: string, errors: FieldError[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...issuesToFields(prefix, result.error.issues));
  return undefined;
}

function parseBody(event: ApiEvent, maxBytes: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new Problem(413, 'body-too-large', `The body exceeds ${maxBytes} bytes`, {
      errors: [{ field: 'body', message: `larger than ${maxBytes} bytes` }],
    });
  }
  const contentType = event.headers?.['content-type'];
  if (!contentType || !JSON_MEDIA_TYPE.test(contentType)) throw problems.unsupportedMediaType(contentType);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw problems.malformedJson((error as Error).message);
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json'): ApiResult {
  return {
    statusCode: status,
    headers: { 'content-type': contentType, 'cache-control': 'no-store', ...FRAME_HEADERS, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

function problemResult(problem: Problem, event: ApiEvent, correlationId: string): ApiResult {
  return json(problem.status, problem.toBody(event.rawPath, correlationId), problem.headers, 'application/problem+json');
}

function correlationIdOf(event: ApiEvent): string {
  const offered = event.headers?.['x-correlation-id'];
  return offered && CORRELATION_ID.test(offered) ? offered : event.requestContext.requestId;
}

function replay(stored: StoredResponse, correlationId: string): ApiResult {
  return json(stored.status, stored.body, { ...stored.headers, 'idempotent-replayed': 'true', 'x-correlation-id': correlationId });
}

/** Builds the service's API Lambda handler from its route specs and their implementations. */
export function createApiHandler<const R extends Record<string, RouteSpec<any, any, any, any>>>(
  routes: R,
  implementations: Implementations<R>,
  options: { idempotency?: IdempotencyStore } = {},
) {
  const byKey = new Map<string, { spec: RouteSpec; impl: Implementation<any> }>();
  for (const [name, spec] of Object.entries(routes)) {
    byKey.set(routeKey(spec), { spec, impl: implementations[name as keyof R] as Implementation<any> });
  }
  const store = options.idempotency;
  const needsStore = Object.values(routes).filter((r) => r.idempotent && !store);
  if (needsStore.length) throw new Error(`${needsStore.map((r) => r.operationId).join(', ')}: idempotent routes need an idempotency store`);

  async function dispatch(event: ApiEvent): Promise<ApiResult> {
    const correlationId = correlationIdOf(event);
    logger.appendKeys({ correlation_id: correlationId, route: event.routeKey });
    try {
      const route = byKey.get(event.routeKey);
      if (!route) throw problems.notFound(`Route ${event.routeKey}`);
      const { spec, impl } = route;
      const deploymentRegion = requireEnv(ENV_KEYS.regionCode);

      let actor: Actor | undefined;
      if (spec.auth === 'jwt') {
        actor = actorFromEvent(event);
        requireRegion(actor, deploymentRegion);
        requireRole(actor, spec.roles);
      }

      const errors: FieldError[] = [];
      const params = validate(spec.params, event.pathParameters ?? {}, 'path', errors);
      const query = validate(spec.query, event.queryStringParameters ?? {}, 'query', errors);
      let body: unknown;
      if (spec.body) body = validate(spec.body, parseBody(event, spec.maxBodyBytes ?? MAX_BODY_BYTES), 'body', errors);
      if (errors.length) throw problems.validation(errors);

      const headers = event.headers ?? {};
      if (spec.requiresIfMatch && !headers['if-match']) throw problems.preconditionRequired();

      let idempotency: IdempotencyScope | undefined;
      let idempotencyRequest: IdempotencyRequest | undefined;
      const key = spec.idempotent ? headers['idempotency-key'] : undefined;
      if (key !== undefined && actor && store) {
        validateIdempotencyKey(key);
        idempotencyRequest = { operationId: spec.operationId, actorSub: actor.sub, key, hash: requestHash(body, event.rawPath) };
        const stored = await store.find(idempotencyRequest);
        if (stored) return replay(stored, correlationId);
        idempotency = store.scope(idempotencyRequest);
      }

      const ctx: RequestContext = {
        actor: actor as Actor,
        correlationId,
        requestId: event.requestContext.requestId,
        headers,
        deploymentRegion,
        ...(idempotency ? { idempotency } : {}),
      };
      try {
        const reply = await impl({ params, query, body, ctx } as never);
        const status = reply.status ?? spec.response.status;
        if (reply.raw) {
          // text/html gets middy's full CSP and frame options; other raw bodies (CSV) these.
          const frame = /text\/html/i.test(reply.raw.contentType) ? {} : FRAME_HEADERS;
          return { statusCode: status, headers: { 'content-type': reply.raw.contentType, 'cache-control': 'no-store', ...frame, ...reply.headers, 'x-correlation-id': correlationId }, body: reply.raw.text };
        }
        return json(status, reply.body, { ...reply.headers, 'x-correlation-id': correlationId });
      } catch (error) {
        // A concurrent request with the same key won the race: answer as it did.
        if (idempotencyRequest && store && isIdempotencyRace(error)) {
          const stored = await store.find(idempotencyRequest);
          if (stored) return replay(stored, correlationId);
        }
        throw error;
      }
    } catch (error) {
      if (error instanceof Problem) {
        if (error.status >= 500) logger.error('request failed', { error });
        else logger.info('request refused', { status: error.status, code: error.code });
        return problemResult(error, event, correlationId);
      }
      const unavailable = transientDataProblem(error);
      if (unavailable) {
        logger.warn('request not served: the table is momentarily unavailable', { error: error as Error, status: unavailable.status });
        return problemResult(unavailable, event, correlationId);
      }
      logger.error('unhandled error', { error: error as Error });
      return problemResult(new Problem(500, 'internal-error', 'An unexpected error occurred; quote the correlation id when reporting it'), event, correlationId);
    }
  }

  return middy<ApiEvent, ApiResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(httpSecurityHeaders())
    .handler(dispatch);
}

/** The idempotency record's condition failed: another request with the same key committed first. */
function isIdempotencyRace(error: unknown): boolean {
  const reasons = (error as { name?: string; CancellationReasons?: { Code?: string; Item?: Record<string, unknown> }[] })
    ?.CancellationReasons;
  return (error as { name?: string })?.name === 'TransactionCanceledException' && !!reasons?.some((r) => r.Code === 'ConditionalCheckFailed');
}

const THROTTLING = new Set(['ThrottlingException', 'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'TransactionInProgressException', 'ThrottlingError', 'ProvisionedThroughputExceeded']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

interface AwsErrorShape {
  name?: string;
  code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  CancellationReasons?: { Code?: string }[];
}

function unreachable(error: unknown, depth = 0): boolean {
  const e = error as AwsErrorShape | undefined;
  if (!e || depth > 5) return false;
  if (e.name === 'TimeoutError' || NETWORK_CODES.has(e.code ?? '')) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return unreachable(e.cause, depth + 1);
}

/**
 * A failure of the data store that is no fault of the request and leaves nothing written, so
 * the client may simply retry: another transaction held an item (409), DynamoDB throttled
 * beyond the SDK's retries (503; nothing was written), or it could not be reached (503; a write
 * may or may not have landed, which Idempotency-Key and If-Match make safe to retry). Each
 * carries Retry-After. Anything else stays a 500.
 */
export function transientDataProblem(error: unknown): Problem | undefined {
  const e = error as AwsErrorShape | undefined;
  const name = e?.name ?? '';
  const reasons = (e?.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
  const retry = (seconds: number) => ({ headers: { 'retry-after': String(seconds) } });
  if (name === 'TransactionCanceledException' && reasons.includes('ConditionalCheckFailed')) return undefined;
  if (name === 'TransactionConflictException' || (name === 'TransactionCanceledException' && reasons.includes('TransactionConflict'))) {
    return new Problem(409, 'transaction-conflict', 'Another request was changing the same data at the same moment; nothing was written. Retry the request.', retry(1));
  }
  if (THROTTLING.has(name) || (name === 'TransactionCanceledException' && reasons.some((r) => THROTTLING.has(r)))) {
    return new Problem(503, 'service-unavailable', 'The service is busy; nothing was written. Retry the request shortly.', retry(1));
  }
  if (unreachable(error)) {
    return new Problem(503, 'service-unavailable', 'The data store is momentarily unavailable. Retry the request shortly; with the same Idempotency-Key or If-Match a retry cannot apply twice.', retry(2));
  }
  return undefined;
}
