/**
 * The hourly reminders sweep at size, on real DynamoDB Local (services/monitoring/jobs/reminders.ts):
 * it reads a window's scope a page at a time, and a run that is about to run out of time stops at
 * a checkpoint that the next run resumes from, so every missing report gets its reminder once,
 * none twice, and no run starts over.
 */
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import monitoring from '../../services/monitoring/service.ts';
import type { Window } from '../../services/monitoring/domain/report.ts';
import { sendReminders } from '../../services/monitoring/jobs/reminders.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { localTable } from '../support/aws-env.ts';

const REGION = '360000';
let table: string;

beforeAll(async () => {
  table = await localTable('reminders-sweep', monitoring.table!);
  Object.assign(process.env, { TABLE_NAME: table, REGION_CODE: REGION, EVENT_SOURCE: 'jixiao.monitoring', EVENT_BUS_NAME: 'unused', AWS_LAMBDA_FUNCTION_NAME: 'monitoring-reminders' });
});

const put = (Item: Record<string, unknown>) => documentClient().send(new PutCommand({ TableName: table, Item }));

/** A window of `YEAR` due on 7-20 with `objects` approved objects in scope, every third of which has reported. */
async function windowWithObjects(id: string, YEAR: number, objects: number): Promise<string[]> {
  const window: Window = { id, version: 1, region: REGION, fiscalYear: YEAR, throughMonth: 6, label: '1~6月', dueDate: `${YEAR}-07-20`, scope: { kind: 'all' }, createdAt: `${YEAR}-07-01T00:00:00Z`, createdBy: 'finance' };
  const { createWindow } = await import('../../services/monitoring/store/windows.ts');
  await createWindow(window);
  const missing: string[] = [];
  for (let i = 0; i < objects; i++) {
    const objectId = `prj_${id}_${String(i).padStart(3, '0')}`;
    const department = `D-${i % 3}`;
    // The scope entry as the baseline consumer stores it (store/objects.ts putBaseline).
    await put({ pk: `OBJ#${objectId}`, sk: 'SCOPE', kind: 'scope', gsi1pk: `SCOPE#${REGION}#${YEAR}`, gsi1sk: `${department}#U-1#${objectId}`, objectId, name: `项目${i}`, spendingType: 'project', sector: 'education', region: REGION, department, unit: 'U-1', fiscalYear: YEAR, annualTotalWan: 100, targetVersion: 1 });
    // A report's head is all the sweep looks for; only its key matters here.
    if (i % 3 === 0) await put({ pk: `RPT#${id}#${objectId}`, sk: 'META', kind: 'report' });
    else missing.push(objectId);
  }
  return missing;
}

async function remindersSent(windowId: string): Promise<string[]> {
  const items = (await documentClient().send(new ScanCommand({ TableName: table, ConsistentRead: true, FilterExpression: 'kind = :k AND begins_with(pk, :p)', ExpressionAttributeValues: { ':k': 'due-marker', ':p': `DUE#${windowId}#` } }))).Items ?? [];
  return items.filter((i) => i.sk === 'REMINDER').map((i) => String(i.pk).slice(`DUE#${windowId}#`.length)).sort();
}

const checkpointOf = async (windowId: string) =>
  (await documentClient().send(new QueryCommand({ TableName: table, ConsistentRead: true, KeyConditionExpression: 'pk = :pk AND sk = :sk', ExpressionAttributeValues: { ':pk': `DUE#${windowId}`, ':sk': 'CHECKPOINT' } }))).Items?.[0];

describe('the reminders sweep', () => {
  it('sends every missing report its reminder once, a page at a time', async () => {
    const YEAR = 2027;
    const missing = await windowWithObjects('win_a', YEAR, 25);
    const run = await sendReminders({ id: 'run-1', time: `${YEAR}-07-18T01:00:00Z` }, { pageSize: 4 });
    // 25 objects in pages of 4: 7 pages; 8 of the 25 reported (every third from the first).
    expect(run).toMatchObject({ windows: 1, reminders: missing.length, escalations: 0, pages: 7, resumable: 0 });
    expect(await remindersSent('win_a')).toEqual(missing);
    expect(await checkpointOf('win_a')).toBeUndefined();
  });

  it('stops at a checkpoint when time runs short, and the next run resumes there: nothing twice, nothing left out', async () => {
    const YEAR = 2029; // a year of its own: the sweep looks at every due window of the year
    const missing = await windowWithObjects('win_b', YEAR, 30);
    // Time for three pages, then less than the margin.
    let calls = 0;
    const first = await sendReminders({ id: 'run-1', time: `${YEAR}-07-18T01:00:00Z` }, { pageSize: 5, remainingMs: () => (calls++ < 3 ? 600_000 : 1_000) });
    expect(first).toMatchObject({ pages: 3, resumable: 1 });
    const sentFirst = await remindersSent('win_b');
    // The scope is read in its index order (department, unit, object): the first 15 objects of it.
    const inScopeOrder = Array.from({ length: 30 }, (_, i) => `D-${i % 3}#U-1#prj_win_b_${String(i).padStart(3, '0')}`).sort();
    const firstPages = new Set(inScopeOrder.slice(0, 15).map((k) => k.split('#')[2]));
    expect(sentFirst).toEqual(missing.filter((id) => firstPages.has(id)).sort());
    expect(await checkpointOf('win_b')).toMatchObject({ pages: 3 });

    const second = await sendReminders({ id: 'run-2', time: `${YEAR}-07-18T02:00:00Z` }, { pageSize: 5 });
    // 30 objects in pages of 5: the last 3 pages in this run, then one empty page (DynamoDB gives
    // a cursor after a page that fills its limit exactly, as the 6th does). Nothing is read twice.
    expect(second).toMatchObject({ pages: 4, resumable: 0, reminders: missing.length - sentFirst.length });
    expect(await remindersSent('win_b')).toEqual(missing);
    expect(await checkpointOf('win_b')).toBeUndefined();
  });
});
