/**
 * A test rig for the outbox path on real parts: a fresh table in the run's DynamoDB Local,
 * the local EventBridge endpoint (real PutEvents wire protocol, with a fault hook) and a
 * stream poller calling the relay handler in-process. Everything it starts, `close()` stops.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { standardTable } from '../../shared/manifest.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/outbox.ts';
import { createRelayHandler, type RelayOptions } from '../../shared/relay.ts';
import { resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import { resetEventBridgeClientForTesting } from '../../shared/clients/eventbridge.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { StreamPoller } from '../../infra/local/stream-poller.ts';
import { LocalEventBus } from '../../infra/local/eventbridge/bus.ts';
import type { EventEnvelope } from '../../infra/local/eventbridge/envelope.ts';
import { compilePattern } from '../../infra/local/eventbridge/pattern.ts';
import { startEventBridgeServer, type EventBridgeFaults } from '../../infra/local/eventbridge/server.ts';
import { uniquePrefix, useLocalAws } from './aws-env.ts';

export interface OutboxRig {
  tableName: string;
  delivered: EventEnvelope[];
  relayResponses: DynamoDBBatchResponse[];
  /** Every event the poller handed to the relay. */
  streamEvents: DynamoDBStreamEvent[];
  dynamo: DynamoDBClient;
  /** Records the poller set aside after their retries (the on-failure destination), oldest first. */
  failedOver(): DynamoDBRecord[];
  close(): Promise<void>;
}

export async function startOutboxRig(options: { faults?: EventBridgeFaults; relay?: RelayOptions; source?: string; streamRetries?: number } = {}): Promise<OutboxRig> {
  const endpoint = useLocalAws();
  const source = options.source ?? 'jixiao.test';
  const tableName = `${uniquePrefix()}outbox`;
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamo = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials });
  const streams = new DynamoDBStreamsClient({ endpoint, region: 'cn-northwest-1', credentials });
  const streamArn = (await ensureTable(dynamo, tableName, standardTable())) as string;

  const dataDir = mkdtempSync(join(tmpdir(), 'jixiao-rig-'));
  const delivered: EventEnvelope[] = [];
  const bus = new LocalEventBus({
    busName: 'test-bus',
    dataDir,
    region: 'cn-northwest-1',
    account: '000000000000',
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    rules: [{ id: 'collector', pattern: { source: [source] }, target: async (event) => void delivered.push(event) }],
  });
  const server = await startEventBridgeServer({ bus, port: 0, ...(options.faults ? { faults: options.faults } : {}) });
  Object.assign(process.env, { TABLE_NAME: tableName, EVENT_BUS_NAME: 'test-bus', EVENT_SOURCE: source, EVENTBRIDGE_ENDPOINT: server.url });
  resetDynamoClientsForTesting();
  resetEventBridgeClientForTesting();

  const relay = createRelayHandler({ maxAttempts: 2, baseDelayMs: 1, ...options.relay });
  const relayResponses: DynamoDBBatchResponse[] = [];
  const streamEvents: DynamoDBStreamEvent[] = [];
  const filter = compilePattern(OUTBOX_STREAM_FILTER);
  const poller = new StreamPoller({
    client: streams,
    tableName,
    streamArn,
    awsRegion: 'cn-northwest-1',
    filter: (record) => filter.matches(record),
    invoke: async (event: DynamoDBStreamEvent) => {
      streamEvents.push(structuredClone(event));
      const response = await relay(event);
      relayResponses.push(response);
      return response;
    },
    pollIntervalMs: 20,
    retryBaseDelayMs: 20,
    stateDir: join(dataDir, 'streams'),
    ...(options.streamRetries !== undefined ? { maxRetries: options.streamRetries } : {}),
  });
  poller.start();

  return {
    tableName,
    delivered,
    relayResponses,
    streamEvents,
    dynamo,
    failedOver: () => {
      const file = join(dataDir, 'streams', 'on-failure.jsonl');
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => (JSON.parse(line) as { record: DynamoDBRecord }).record);
    },
    close: async () => {
      await poller.stop();
      await server.close();
      await bus.close();
      dynamo.destroy();
      streams.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
