/** Builds API Gateway payload-2.0 events and Lambda contexts for calling API handlers in-process. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';

export interface ApiCall {
  method: string;
  /** Route path with `{param}`s, e.g. `/v1/indicators/{id}`. */
  route: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  claims?: Record<string, string>;
}

export function apiEvent(call: ApiCall): APIGatewayProxyEventV2WithJWTAuthorizer {
  const rawPath = Object.entries(call.params ?? {}).reduce((p, [k, v]) => p.replace(`{${k}}`, encodeURIComponent(v)), call.route);
  const body = call.rawBody ?? (call.body === undefined ? undefined : JSON.stringify(call.body));
  const headers = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...call.headers };
  return {
    version: '2.0',
    routeKey: `${call.method} ${call.route}`,
    rawPath,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers,
    ...(call.query ? { queryStringParameters: call.query } : {}),
    ...(call.params ? { pathParameters: call.params } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: call.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: randomUUID(),
      routeKey: `${call.method} ${call.route}`,
      stage: '$default',
      time: '28/Nov/2026:08:00:00 +0000',
      timeEpoch: Date.now(),
      ...(call.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: call.claims, scopes: [] } } } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export function lambdaContext(functionName = 'test-function'): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:cn-northwest-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export const financeClaims = { sub: 'finance-1', role: 'finance', region: '360000' };
export const unitClaims = { sub: 'unit-1', role: 'unit', region: '360000', department: 'D01', unit: 'U0101' };
