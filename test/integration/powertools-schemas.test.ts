/**
 * What the local runtime hands to handlers is what AWS hands them: each event parses with the
 * Powertools parser schemas for API Gateway v2, EventBridge and DynamoDB Streams.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas/dynamodb';
import { startHttpFront } from '../../infra/local/http-front.ts';
import { issueToken, loadOrCreateKeys } from '../../infra/local/keys.ts';
import { RouteTable } from '../../infra/local/route-table.ts';
import { newEvent, writeWithOutbox } from '../../shared/outbox.ts';
import { eventually } from '../support/runtime.ts';
import { startOutboxRig } from '../support/outbox-rig.ts';

describe('local events parse with the Powertools parser schemas', () => {
  it('API Gateway HTTP API payload 2.0 events from the local front', async () => {
    const home = mkdtempSync(join(tmpdir(), 'jixiao-keys-'));
    const keys = await loadOrCreateKeys(home);
    const captured: unknown[] = [];
    const routes = new RouteTable<{ invoke(e: unknown): Promise<unknown> }>();
    routes.add({ method: 'POST', path: '/v1/things/{id}', auth: 'jwt' }, { invoke: async (e) => { captured.push(e); return { statusCode: 204 }; } });
    const front = await startHttpFront({ routes, keys, port: 0 });
    try {
      const token = await issueToken(keys, { role: 'finance', region: '360000' });
      const r = await fetch(`${front.url}/v1/things/a%20b?x=1&x=2`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(r.status).toBe(204);
      const parsed = APIGatewayProxyEventV2Schema.safeParse(captured[0]);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(parsed.data).toMatchObject({ routeKey: 'POST /v1/things/{id}', pathParameters: { id: 'a b' }, queryStringParameters: { x: '1,2' }, body: '{"a":1}' });
      expect(parsed.data?.requestContext.authorizer?.jwt?.claims).toMatchObject({ role: 'finance', region: '360000' });
    } finally {
      await front.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('EventBridge envelopes and DynamoDB stream events from the outbox path', async () => {
    const rig = await startOutboxRig();
    try {
      const event = newEvent({ detailType: 'TestHappened', version: 1, subject: { type: 'indicator', id: 'x' }, actor: { sub: 's', role: 'finance', region: '360000' }, region: '360000', correlationId: 'c', data: {} });
      await writeWithOutbox({ tableName: rig.tableName, source: 'jixiao.test', items: [], events: [event] });
      await eventually(async () => (rig.delivered.length ? true : undefined), 5000);
      const parsed = EventBridgeSchema.safeParse(rig.delivered[0]);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      const stream = DynamoDBStreamSchema.safeParse(rig.streamEvents[0]);
      expect(stream.success, JSON.stringify(stream.error?.issues)).toBe(true);
      expect(stream.data?.Records[0]).toMatchObject({ eventName: 'INSERT', eventSource: 'aws:dynamodb', dynamodb: { StreamViewType: 'NEW_IMAGE' } });
    } finally {
      await rig.close();
    }
  });
});
