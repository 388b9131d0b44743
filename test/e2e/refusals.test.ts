/**
 * Refusals over HTTP: each bad request gets the right 4xx as problem+json naming the problem,
 * and none of them writes anything (the indicators table is counted before and after).
 */
import { ScanCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/keys.ts';
import { bootRuntime, sampleIndicator, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let finance: string;
let ddb: DynamoDBClient;

beforeAll(async () => {
  rt = await bootRuntime();
  finance = await rt.token({ role: 'finance' });
  ddb = new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  ddb?.destroy();
  await rt?.stop();
});

/** Test-only count of everything in the indicators table (tests may scan; request paths never do). */
async function itemCount(): Promise<number> {
  const result = await ddb.send(new ScanCommand({ TableName: rt.tables.indicators, Select: 'COUNT', ConsistentRead: true }));
  return result.Count ?? 0;
}

async function refused(init: Parameters<TestRuntime['call']>[2], status: number, field?: string, path = '/v1/indicators') {
  const before = await itemCount();
  const r = await rt.call('POST', path, init);
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toBe('application/problem+json');
  expect(r.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  if (field) expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  expect(await itemCount()).toBe(before);
  return r.body;
}

describe('refused requests write nothing', () => {
  it('malformed JSON body → 400 naming the body', async () => {
    await refused({ token: finance, rawBody: '{"name":', headers: { 'content-type': 'application/json' } }, 400, 'body');
  });

  it('missing field → 400 naming it', async () => {
    const { level1: _l, ...body } = sampleIndicator;
    await refused({ token: finance, body }, 400, 'body.level1');
  });

  it('wrong type → 400 naming it', async () => {
    await refused({ token: finance, body: { ...sampleIndicator, spendingTypes: 'project' } }, 400, 'body.spendingTypes');
  });

  it('no token → 401', async () => {
    const problem = await refused({ body: sampleIndicator }, 401, 'header.authorization');
    expect(problem.detail).toMatch(/Authorization/);
  });

  it('expired token → 401 saying it expired', async () => {
    const expired = await rt.token({ role: 'finance' }, { now: Date.now() - 3 * 3600_000, ttlSeconds: 3600 });
    const problem = await refused({ token: expired, body: sampleIndicator }, 401);
    expect(problem.detail).toMatch(/expired/);
  });

  it('token signed by another key → 401', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'finance', region: '360000' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(privateKey);
    await refused({ token: forged, body: sampleIndicator }, 401);
  });

  it('unsigned token (alg none) → 401', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'finance', region: '360000', sub: 'x', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    await refused({ token: none, body: sampleIndicator }, 401);
  });

  it('token for another region → 403', async () => {
    const nanchang = await rt.token({ role: 'finance', region: '360100' });
    const problem = await refused({ token: nanchang, body: sampleIndicator }, 403);
    expect(problem.detail).toMatch(/360100/);
  });

  it('unit-role token on a finance-only route → 403', async () => {
    const unit = await rt.token({ role: 'unit', department: 'D01', unit: 'U0101' });
    const problem = await refused({ token: unit, body: sampleIndicator }, 403);
    expect(problem.detail).toMatch(/unit/);
  });

  it('publish without If-Match → 428', async () => {
    const created = await rt.call('POST', '/v1/indicators', { token: finance, body: sampleIndicator });
    await refused({ token: finance }, 428, 'header.if-match', `/v1/indicators/${created.body.id}/publish`);
  });

  it('unknown route → 404 problem', async () => {
    const r = await rt.call('GET', '/v1/nothing-here', { token: finance });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toBe('application/problem+json');
  });
});
