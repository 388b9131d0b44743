/**
 * Assessment (考核) sheets in the accountability table.
 *
 * | item       | pk                | sk   | gsi3pk                       | gsi3sk          | gsi5pk (published only)              | gsi5sk  |
 * |------------|-------------------|------|------------------------------|-----------------|--------------------------------------|---------|
 * | assessment | ASM#<assessmentId> | META | ASM#<region>#<fiscalYear>   | <type>#<code>   | ASMPUB#<region>#<fiscalYear>#<type>  | <code>  |
 *
 * The id is `asm_<year>_<type>_<code>`: one sheet per assessee and year, enforced by the
 * create's attribute_not_exists condition. A year has one sheet per budget department and per
 * lower-level region (~150 in a province), so lists read the whole partition and rank in memory.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { putAtVersion, putNew, stripKeys } from '../../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../../shared/outbox.ts';
import { queryPage } from '../../../shared/query.ts';
import type { AssesseeType, Assessment } from '../domain/assessment.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI3 = { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' } as const;
const GSI5 = { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' } as const;
const strip = (item: Record<string, unknown>) => stripKeys<Assessment>(item);

function itemOf(a: Assessment): Record<string, unknown> {
  return {
    pk: `ASM#${a.id}`,
    sk: 'META',
    kind: 'assessment',
    gsi3pk: `ASM#${a.region}#${a.fiscalYear}`,
    gsi3sk: `${a.assessee.type}#${a.assessee.code}`,
    ...(a.status === 'published' ? { gsi5pk: `ASMPUB#${a.region}#${a.fiscalYear}#${a.assessee.type}`, gsi5sk: a.assessee.code } : {}),
    ...a,
  };
}

export async function getAssessment(id: string): Promise<Assessment | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: `ASM#${id}`, sk: 'META' }, ConsistentRead: true }));
  return Item ? strip(Item) : undefined;
}

/** Creates a sheet; a second one for the same assessee and year fails the condition at index 0. */
export async function createAssessment(a: Assessment, extra: TransactItem[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [putNew(table(), itemOf(a)), ...extra], events: [] });
}

/** Replaces a sheet at the version read (condition at index 0), with its events. */
export async function updateAssessment(a: Assessment, expectedVersion: number, events: OutboxEvent[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [putAtVersion(table(), itemOf(a), expectedVersion)], events });
}

async function all(input: Parameters<typeof queryPage>[0]): Promise<Assessment[]> {
  const out: Assessment[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ ...input, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map(strip));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Every sheet of a region's year (one assessee type, or both). */
export function listAssessments(region: string, year: number, type?: AssesseeType): Promise<Assessment[]> {
  return all({
    tableName: table(),
    index: GSI3,
    partition: `ASM#${region}#${year}`,
    ...(type ? { sortCondition: { expression: 'begins_with(#sk, :type)', values: { ':type': `${type}#` } } } : {}),
    limit: 100,
  });
}

/** The published sheets of a region's year and assessee type (the population ranks are taken in). */
export function publishedAssessments(region: string, year: number, type: AssesseeType): Promise<Assessment[]> {
  return all({ tableName: table(), index: GSI5, partition: `ASMPUB#${region}#${year}#${type}`, limit: 100 });
}
