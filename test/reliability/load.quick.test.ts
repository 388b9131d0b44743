/**
 * Load, scaled down for `npm test`: 20 simulated users of every role declaring, reviewing,
 * reporting and evaluating for 8 s against the local runtime over HTTP, colleagues colliding on
 * shared records on purpose. Zero 5xx, zero lost updates (the final state read back equals the
 * model of the accepted writes), every 4xx explained; p50/p99 per route recorded.
 * The full run (200 users, 60 s) is load.full.test.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectPk } from '../../services/declaration/store/objects.ts';
import { projectBody, standardRows } from '../support/declaration.ts';
import { bootRuntime, type TestRuntime } from '../support/runtime.ts';
import { record, violations } from './report.ts';
import { LoadClient, etagOf } from './support/load-client.ts';
import { LoadModel, ObjectModel, verify } from './support/load-model.ts';
import { loadRow, problemsOf, runLoad } from './support/load-scenario.ts';
import { LoadStats } from './support/load-stats.ts';

let rt: TestRuntime;
beforeAll(async () => {
  // Its own DynamoDB Local: thousands of writes and stream records would slow the shared engine for every later test.
  rt = await bootRuntime({ dynamodbEndpoint: undefined });
});
afterAll(async () => rt?.stop());

describe('load (quick): 20 users for 8 s', () => {
  it('loses no update, answers no 5xx and explains every 4xx', async () => {
    const result = await runLoad(rt, { users: 20, durationMs: 8_000, departments: 2, unitsPerDepartment: 2, seedPerUnit: 1, year: 2031, seed: 20_8, settleMs: 20_000 });
    const row = loadRow('200 users × 60 s, scaled down: 20 users × 8 s (quick)', result);
    record(row);
    const problems = problemsOf(result);
    expect(violations(row), JSON.stringify(problems, null, 1)).toEqual([]);
    expect(result.stats.unexplained, JSON.stringify(problems.unexplained4xx, null, 1)).toEqual([]);
    expect(result.deadLetters).toEqual([]);
    // The run did what it claims: users declared and reported or evaluated, and the model was checked.
    expect(result.model.accepted['declaration create'] ?? 0).toBeGreaterThan(0);
    expect((result.model.accepted['monitoring report create'] ?? 0) + (result.model.accepted['self-evaluation create'] ?? 0)).toBeGreaterThan(0);
    expect(result.verification.checked).toBeGreaterThanOrEqual(result.model.objects.size);
  });
});

describe('the model check has teeth', () => {
  it('reports a lost update when an accepted write is overwritten behind the API', async () => {
    const year = 2039;
    const unit = await rt.token({ role: 'unit', department: 'D-TEETH', unit: 'U-TEETH', sub: 'teeth-clerk' });
    const finance = await rt.token({ role: 'finance', sub: 'teeth-finance' });
    const client = new LoadClient(rt.apiUrl, new LoadStats());
    const model = new LoadModel();
    const created = await client.call('POST', '/v1/declaration/objects', { token: unit, body: projectBody(year) });
    expect(created.status).toBe(201);
    const o = new ObjectModel(created.body.id, 'U-TEETH', 'D-TEETH', year);
    o.acceptObject('create', 'teeth-clerk', created);
    model.objects.set(o.id, o);
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    const key = { pk: objectPk(o.id), sk: 'META' };
    const before = (await doc.send(new GetCommand({ TableName: rt.tables.declaration, Key: key }))).Item;
    const put = await client.call('PUT', `/v1/declaration/objects/${o.id}/targets`, { token: unit, headers: { 'if-match': etagOf(created) }, body: { overallGoal: { annual: '第一次' }, rows: standardRows } });
    expect(put.status).toBe(200);
    o.acceptTargets('teeth-clerk', put, '第一次');

    // Consistent so far: the check finds nothing.
    expect((await verify(model, client, finance, { declared: year })).lostUpdates).toEqual([]);

    // A writer that ignores versions puts the old head back: the accepted write's version is gone.
    await doc.send(new PutCommand({ TableName: rt.tables.declaration, Item: before }));
    const found = await verify(model, client, finance, { declared: year });
    expect(found.lostUpdates).toEqual([expect.stringContaining(`${o.id}: 2 accepted writes but the record is at version 1`)]);
    doc.destroy();
  });
});
