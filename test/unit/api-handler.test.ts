/**
 * The shared HTTP stack, exercised through the indicators API handler in-process. Every case
 * here is refused before any DynamoDB call; DYNAMODB_ENDPOINT points at a closed port, so a
 * write attempt would surface as a 500 and fail the test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiEvent, financeClaims, lambdaContext, unitClaims, type ApiCall } from '../support/api-event.ts';

let handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, {
    TABLE_NAME: 'unused',
    REGION_CODE: '360000',
    EVENT_SOURCE: 'jixiao.indicators',
    EVENT_BUS_NAME: 'unused',
    AWS_REGION: 'cn-northwest-1',
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  });
  ({ handler } = (await import('../../services/indicators/handlers/api.ts')) as never);
});

const validBody = { name: '培训人次', level1: 'output', level2: 'quantity', operator: 'gte', unit: '人次', scope: 'common', spendingTypes: ['project'] };
const create = (overrides: Partial<ApiCall> = {}): ApiCall => ({ method: 'POST', route: '/v1/indicators', body: validBody, claims: financeClaims, ...overrides });

async function call(c: ApiCall) {
  const result = await handler(apiEvent(c), lambdaContext('indicators-api'));
  return { status: result.statusCode, headers: result.headers, body: result.body ? JSON.parse(result.body) : undefined };
}

describe('HTTP stack: bad input is a problem+json naming the field, before anything is written', () => {
  it('answers malformed JSON with 400 naming the body', async () => {
    const r = await call(create({ body: undefined, rawBody: '{"name": "x",' }));
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.body.errors).toEqual([expect.objectContaining({ field: 'body' })]);
  });

  it('answers a missing field with 400 naming it', async () => {
    const { name: _omit, ...body } = validBody;
    const r = await call(create({ body }));
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.name']);
  });

  it('answers a wrong type with 400 naming the array element', async () => {
    const r = await call(create({ body: { ...validBody, spendingTypes: ['project', 42] } }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('body.spendingTypes[1]');
  });

  it('answers an unknown field with 400 (typos are not silently dropped)', async () => {
    const r = await call(create({ body: { ...validBody, nmae: 'x' } }));
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: 'body.nmae', message: 'is not a known field' }]);
  });

  it('answers a domain rule violation with 400 naming the field', async () => {
    const r = await call(create({ body: { ...validBody, level2: 'social_benefit' } }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('body.level2');
  });

  it('answers a non-JSON content type with 415', async () => {
    const r = await call(create({ headers: { 'content-type': 'text/plain' } }));
    expect(r.status).toBe(415);
  });

  it('answers a unit-role token on a finance-only route with 403', async () => {
    const r = await call(create({ claims: unitClaims }));
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/unit/);
  });

  it('answers a token scoped to another region with 403', async () => {
    const r = await call(create({ claims: { ...financeClaims, region: '360100' } }));
    expect(r.status).toBe(403);
    expect(r.body.detail).toMatch(/360100/);
  });

  it('answers a request without verified claims with 401', async () => {
    const r = await call(create({ claims: undefined }));
    expect(r.status).toBe(401);
  });

  it('answers a bad path parameter with 400 naming it', async () => {
    const r = await call({ method: 'GET', route: '/v1/indicators/{id}', params: { id: "1' OR '1'='1" }, claims: financeClaims });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('path.id');
  });

  it('answers an out-of-range page size with 400 naming the query parameter', async () => {
    const r = await call({ method: 'GET', route: '/v1/indicators', query: { limit: '1000' }, claims: financeClaims });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe('query.limit');
  });

  it('answers an update without If-Match with 428', async () => {
    const r = await call({ method: 'POST', route: '/v1/indicators/{id}/publish', params: { id: 'ind_0000000001abcdef' }, claims: financeClaims });
    expect(r.status).toBe(428);
  });

  it('echoes a valid correlation id and includes it in the problem', async () => {
    const r = await call(create({ claims: unitClaims, headers: { 'x-correlation-id': 'portal-req-42' } }));
    expect(r.body.correlationId).toBe('portal-req-42');
  });
});
