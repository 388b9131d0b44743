/**
 * The fault suite's timeline duplicate detector can fire: a second timeline item for an event
 * already on the timeline (filed under another key, as a consumer that regenerated the entry's
 * time would) is counted as a duplicate, on a real DynamoDB Local table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { standardTable } from '../../shared/manifest.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { tally, timelineItemsPerEvent } from '../reliability/support/faults-world.ts';
import { uniquePrefix, useLocalAws } from '../support/aws-env.ts';

let dynamo: DynamoDBClient;
let documents: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  dynamo = new DynamoDBClient({ endpoint: useLocalAws(), region: 'cn-northwest-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  documents = DynamoDBDocumentClient.from(dynamo);
  tableName = `${uniquePrefix()}timeline`;
  await ensureTable(dynamo, tableName, standardTable());
});
afterAll(() => {
  documents?.destroy();
  dynamo?.destroy();
});

const entry = (eventId: string, occurredAt: string) => ({ pk: 'OBJ#obj_1', sk: `T#${occurredAt}#${eventId}`, kind: 'timeline', eventId, occurredAt });

describe('timeline duplicate detector', () => {
  it('counts no duplicate when each committed event has one timeline item, and one for a planted second item', async () => {
    await documents.send(new PutCommand({ TableName: tableName, Item: entry('evt_a', '2031-03-01T08:00:00.000Z') }));
    await documents.send(new PutCommand({ TableName: tableName, Item: entry('evt_b', '2031-03-01T08:00:01.000Z') }));
    const committed = new Set(['evt_a', 'evt_b']);
    expect(tally(committed, await timelineItemsPerEvent(dynamo, tableName))).toEqual({ delivered: 2, lost: 0, duplicates: 0 });

    // The planted duplicate: evt_a filed again under a later time.
    await documents.send(new PutCommand({ TableName: tableName, Item: entry('evt_a', '2031-03-01T08:00:05.000Z') }));

    expect(tally(committed, await timelineItemsPerEvent(dynamo, tableName))).toEqual({ delivered: 2, lost: 0, duplicates: 1 });
  });
});
