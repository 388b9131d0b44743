/**
 * The trail against someone who can write the accountability table (the attack the issue names):
 * they rewrite an entry of a case and then every later link hash and the head, consistently,
 * so that the unkeyed chain alone would verify. `…/verify` must still find it, by the entries'
 * MACs under the trail key (which the table's writers do not hold) and, for an attacker who
 * also stole that key, by the latest checkpoint, written apart from the table. The checkpoint
 * job refuses to checkpoint a record that does not verify.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryHash, GENESIS_HASH, trailMacMessage, type ChainEntry } from '../../services/accountability/domain/chain.ts';
import { bootRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let doc: DynamoDBDocumentClient;
let finance: string;
let supervisor: string;

const etag = (r: { headers: Headers }) => r.headers.get('etag') as string;
const checkpointFile = () => join(rt.dataDir, 'trail', 'accountability-checkpoints.jsonl');
const checkpointLines = () => {
  try {
    return readFileSync(checkpointFile(), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { record: string; seq: number; hashes: string[] });
  } catch {
    return [];
  }
};
/**
 * One run of the checkpoint job; its failure (when some record of the table does not verify,
 * including ones the earlier tests tampered with on purpose) is returned, not thrown.
 */
const runCheckpoints = (): Promise<Error | undefined> =>
  rt.scheduler.fire('accountability.checkpoint.every-15-minutes', new Date()).then(
    () => undefined,
    (error: Error) => error,
  );

/** A case opened by hand with a note and a decision: three entries. */
async function caseWithThreeEntries(subject: string): Promise<string> {
  const opened = await rt.call('POST', '/v1/accountability/cases', { token: supervisor, body: { subject, department: 'D-TRAIL', fiscalYear: 2027, reason: '审计移送线索' } });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const note = await rt.call('POST', `/v1/accountability/cases/${opened.body.id}/entries`, { token: supervisor, body: { type: 'note', text: '请说明资金去向' } });
  expect(note.status, JSON.stringify(note.body)).toBe(201);
  const decided = await rt.call('POST', `/v1/accountability/cases/${opened.body.id}/decision`, {
    token: finance,
    headers: { 'if-match': etag(note) },
    body: { outcome: 'budget_cut', reasons: ['挪用专项资金'], amountWan: 120 },
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  return opened.body.id as string;
}

type Stored = ChainEntry & { pk: string; sk: string; mac?: string };

async function storedEntries(caseId: string): Promise<Stored[]> {
  const out = await doc.send(new QueryCommand({ TableName: rt.tables.accountability, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)', ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':e': 'E#' } }));
  return (out.Items ?? []) as Stored[];
}

/**
 * The attack: entry 3's amount becomes 12 万元, then entry 3's hash and the head are recomputed
 * so the link hashes agree again. With `key`, the attacker also recomputes the MACs.
 */
async function rewriteDecisionConsistently(caseId: string, key?: Buffer): Promise<void> {
  const entries = await storedEntries(caseId);
  let prevHash = GENESIS_HASH;
  const rewritten: Stored[] = [];
  for (const e of entries) {
    const body = e.seq === 3 ? { ...e.body, amountWan: 12 } : e.body;
    const unhashed = { seq: e.seq, at: e.at, actor: e.actor, type: e.type, body, prevHash };
    const hash = entryHash(unhashed);
    const mac = key ? createHmac('sha256', key).update(trailMacMessage(`CASE#${caseId}`, { hash }), 'utf8').digest('base64') : e.mac;
    rewritten.push({ ...e, body, prevHash, hash, mac });
    prevHash = hash;
  }
  for (const e of rewritten) await doc.send(new PutCommand({ TableName: rt.tables.accountability, Item: e }));
  const head = await doc.send(new QueryCommand({ TableName: rt.tables.accountability, KeyConditionExpression: 'pk = :pk AND sk = :h', ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':h': 'HEAD' } }));
  const item = head.Items?.[0] as Record<string, unknown>;
  await doc.send(new PutCommand({ TableName: rt.tables.accountability, Item: { ...item, lastHash: prevHash, decision: { ...(item.decision as object), amountWan: 12 } } }));
}

beforeAll(async () => {
  rt = await bootRuntime();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
  finance = await rt.token({ role: 'finance', sub: 'trail-finance-1' });
  supervisor = await rt.token({ role: 'supervisor', sub: 'trail-npc-1' });
});
afterAll(async () => {
  doc?.destroy();
  await rt?.stop();
});

describe('a case as written by the service', () => {
  it('verifies with keyed MACs, and against its checkpoint once the checkpoint job has run', async () => {
    const caseId = await caseWithThreeEntries('某县专项资金线索（一）');
    const before = await rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: finance });
    expect(before.body).toMatchObject({ valid: true, length: 3, keyed: true, checkpoint: null });

    expect(await runCheckpoints()).toBeUndefined();
    const line = checkpointLines().find((c) => c.record === `CASE#${caseId}`);
    expect(line?.seq).toBe(3);
    expect(line?.hashes).toEqual((await storedEntries(caseId)).map((e) => e.hash));
    const after = await rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: finance });
    expect(after.body).toMatchObject({ valid: true, length: 3, checkpoint: { seq: 3 } });
  });

  it('stores a MAC on every entry that is not the bare link hash', async () => {
    const caseId = await caseWithThreeEntries('某县专项资金线索（二）');
    const entries = await storedEntries(caseId);
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      expect(typeof e.mac).toBe('string');
      expect(Buffer.from(e.mac as string, 'base64')).toHaveLength(32);
    }
  });
});

describe('rewriting entries and head consistently in the table', () => {
  it('is found at the rewritten entry by its MAC when no checkpoint covers it yet', async () => {
    const caseId = await caseWithThreeEntries('某县专项资金线索（三）');
    await rewriteDecisionConsistently(caseId);
    const verify = await rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: finance });
    expect(verify.body).toMatchObject({ valid: false, brokenAt: 3, checkpoint: null });
    expect(verify.body.reason).toMatch(/MAC/);
  });

  it('is found at the rewritten entry by the checkpoint even with the trail key stolen', async () => {
    const caseId = await caseWithThreeEntries('某县专项资金线索（四）');
    await runCheckpoints();
    const key = readFileSync(join(rt.dataDir, 'keys', 'accountability-trail.key'));
    await rewriteDecisionConsistently(caseId, key);
    const verify = await rt.call('GET', `/v1/accountability/cases/${caseId}/verify`, { token: finance });
    expect(verify.body).toMatchObject({ valid: false, brokenAt: 3, checkpoint: { seq: 3 } });
    expect(verify.body.reason).toMatch(/checkpoint/);
  });

  it('is not checkpointed: the checkpoint job fails naming the record, and writes nothing for it', async () => {
    const caseId = await caseWithThreeEntries('某县专项资金线索（五）');
    await runCheckpoints();
    const note = await rt.call('POST', `/v1/accountability/cases/${caseId}/entries`, { token: supervisor, body: { type: 'note', text: '补充说明' } });
    expect(note.status).toBe(201);
    await rewriteDecisionConsistently(caseId);
    expect((await runCheckpoints())?.message).toMatch(new RegExp(`CASE#${caseId} \\(entry 3: `));
    expect(checkpointLines().filter((c) => c.record === `CASE#${caseId}`).map((c) => c.seq)).toEqual([3]);
  });
});
