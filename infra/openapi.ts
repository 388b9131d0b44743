/**
 * Builds the OpenAPI 3.1 document from the route specs' zod schemas (the single source of
 * request and response types). `npm run openapi` writes it to docs/openapi.json, which the
 * platform function serves at GET /v1/openapi.json.
 */
import * as z from 'zod/mini';
import type { RouteSpec } from '../shared/http/route.ts';

type Json = Record<string, unknown>;

const PROBLEM_TITLES: Record<number, string> = {
  400: 'The request is invalid; `errors` names each failing field',
  401: 'Missing, expired or otherwise invalid token',
  403: 'The role or scope of the token does not allow this',
  404: 'Not found (or not visible to the caller)',
  409: 'Conflicts with the current state or a concurrent change',
  412: 'If-Match does not match the current ETag',
  413: 'The body is larger than this route accepts',
  415: 'The body is not JSON',
  422: 'Idempotency-Key reused with another request',
  428: 'If-Match is required',
};

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  return rest;
}

function parameters(spec: RouteSpec): Json[] {
  const out: Json[] = [];
  for (const [location, schema] of [['path', spec.params], ['query', spec.query]] as const) {
    if (!schema) continue;
    const objectSchema = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(objectSchema.properties ?? {})) {
      out.push({ name, in: location, required: location === 'path' || (objectSchema.required ?? []).includes(name), schema: property });
    }
  }
  if (spec.requiresIfMatch) out.push({ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'ETag from the last read' });
  if (spec.idempotent) {
    out.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{8,128}$' }, description: 'Retries with the same key and body return the first response' });
  }
  out.push({ name: 'X-Correlation-Id', in: 'header', required: false, schema: { type: 'string' }, description: 'Echoed in responses and logs' });
  return out;
}

function problemStatuses(spec: RouteSpec): number[] {
  const statuses = new Set<number>([400, ...(spec.problems ?? [])]);
  if (spec.auth === 'jwt') [401, 403].forEach((s) => statuses.add(s));
  if (spec.body) statuses.add(415);
  if (spec.requiresIfMatch) [409, 412, 428].forEach((s) => statuses.add(s));
  if (spec.idempotent) statuses.add(422);
  if (spec.body) statuses.add(413);
  return [...statuses].sort();
}

export function buildOpenApi(routesByService: Readonly<Record<string, readonly RouteSpec[]>>): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const routes of Object.values(routesByService)) {
    for (const spec of routes) {
      const operation: Json = {
        operationId: spec.operationId,
        summary: spec.summary,
        tags: [spec.tag],
        ...(spec.auth === 'jwt' ? { security: [{ bearer: [] }], 'x-roles': spec.roles } : { security: [] }),
        parameters: parameters(spec),
        ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
        responses: {
          [String(spec.response.status)]: {
            description: spec.response.description,
            ...(spec.response.schema ? { content: { 'application/json': { schema: jsonSchema(spec.response.schema, 'output') } } } : {}),
          },
          ...Object.fromEntries(
            problemStatuses(spec).map((status) => [
              String(status),
              { description: spec.problemDescriptions?.[status] ?? PROBLEM_TITLES[status] ?? 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
            ]),
          ),
        },
      };
      (paths[spec.path] ??= {})[spec.method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Jixiao budget performance management API',
      version: '1',
      description: 'HTTP API of the Jixiao services. Errors are RFC 9457 problem details; lists are paginated with opaque cursors; updates need If-Match.',
    },
    servers: [{ url: '/' }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Token from the provincial identity provider; claims role, region, department, unit' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            correlationId: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
