/**
 * The local stream poller's pace on a real DynamoDB Local stream: an idle stream is read only
 * every `pollIntervalMs` (Lambda's four times a second by default), yet `idle()` (what
 * `settle()` waits on) and `stop()` do not wait out the interval. The poll interval here is a
 * minute, far beyond the tests' time-outs: they pass only because the poller is woken.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { standardTable } from '../../shared/manifest.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
import { uniquePrefix, useLocalAws } from '../support/aws-env.ts';

const region = 'cn-northwest-1';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const A_MINUTE = 60_000;

let dynamo: DynamoDBClient;
let streams: DynamoDBStreamsClient;
const running: StreamPoller[] = [];

beforeAll(() => {
  const endpoint = useLocalAws();
  dynamo = new DynamoDBClient({ endpoint, region, credentials });
  streams = new DynamoDBStreamsClient({ endpoint, region, credentials });
  return () => {
    dynamo.destroy();
    streams.destroy();
  };
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function pollerOnNewTable(): Promise<{ tableName: string; poller: StreamPoller; received: DynamoDBRecord[] }> {
  const tableName = `${uniquePrefix()}poller`;
  const streamArn = (await ensureTable(dynamo, tableName, standardTable())) as string;
  const received: DynamoDBRecord[] = [];
  const poller = new StreamPoller({
    client: streams,
    tableName,
    streamArn,
    awsRegion: region,
    filter: () => true,
    invoke: async (event) => void received.push(...event.Records),
    pollIntervalMs: A_MINUTE,
  });
  poller.start();
  running.push(poller);
  return { tableName, poller, received };
}

const put = (tableName: string, pk: string) => dynamo.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: pk }, sk: { S: 'META' } } }));

describe('stream poller pace', () => {
  it('idle() delivers what was written before the call without waiting out the poll interval', async () => {
    const { tableName, poller, received } = await pollerOnNewTable();
    await poller.idle(10_000); // the first (empty) pass is done; the poller now sleeps a minute
    await put(tableName, 'A');
    await put(tableName, 'B');

    await poller.idle(10_000);

    expect(received.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['A', 'B']);
  });

  it('stop() ends a poller that is waiting out its poll interval', async () => {
    const { poller } = await pollerOnNewTable();
    await poller.idle(10_000);

    await poller.stop();

    // Stopped: idle() has nothing to wait for and returns at once.
    await expect(poller.idle(1_000)).resolves.toBeUndefined();
  });
});
