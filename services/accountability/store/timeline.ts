/**
 * The lifecycle timeline: every Jixiao event filed under the object it is about.
 *
 * | item           | pk                  | sk                                  | GSIs |
 * |----------------|---------------------|-------------------------------------|------|
 * | timeline entry | OBJ#<subjectId>     | T#<occurredAt>#<eventId>            | gsi3 TLD#<region>#<year>#<department> / <occurredAt>#<eventId> (only when the event names a department); gsi5 TLT#<region>#<year>#<detailType> / <occurredAt>#<eventId> |
 * | consumer idempotency (Powertools) | idempotency#<function> | <function>#<hash> | – |
 *
 * `<region>` of a timeline entry is the event's region (meta.region); year, department and
 * unit come from domain/timeline.ts `timelineSearchKeys`. The other areas' items: see the
 * table comment in service.ts.
 *
 * A timeline entry's key is derived from the event id, so even without the idempotency
 * layer a redelivered event would overwrite, not duplicate, its entry.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import { decodeCursor, encodeCursor, withCursor, type Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import { timelineSearchKeys, type TimelineEntry } from '../domain/timeline.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const GSI3 = { name: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' } as const;
const GSI5 = { name: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' } as const;

/** A stored entry without its keys and its search attributes. */
const entryOf = (item: Record<string, unknown>): TimelineEntry => {
  const { searchYear: _y, searchDepartment: _d, searchUnit: _u, ...entry } = stripKeys<TimelineEntry & { searchYear: unknown; searchDepartment: unknown; searchUnit: unknown }>(item);
  return entry;
};

export async function putTimelineEntry(entry: TimelineEntry): Promise<void> {
  const keys = timelineSearchKeys(entry);
  const when = `${entry.occurredAt}#${entry.eventId}`;
  await documentClient().send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: `OBJ#${entry.subject.id}`,
        sk: `T#${when}`,
        kind: 'timeline',
        ...entry,
        searchYear: keys.fiscalYear,
        ...(keys.department ? { searchDepartment: keys.department, gsi3pk: `TLD#${entry.region}#${keys.fiscalYear}#${keys.department}`, gsi3sk: when } : {}),
        ...(keys.unit ? { searchUnit: keys.unit } : {}),
        gsi5pk: `TLT#${entry.region}#${keys.fiscalYear}#${entry.detailType}`,
        gsi5sk: when,
      },
    }),
  );
}

export async function listTimeline(objectId: string, limit: number, cursor?: string): Promise<Page<TimelineEntry>> {
  const pk = `OBJ#${objectId}`;
  const startKey = decodeCursor(cursor, { keyNames: ['pk', 'sk'], partition: { name: 'pk', value: pk } });
  const result = await withCursor(startKey, () =>
    documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
        ExpressionAttributeValues: { ':pk': pk, ':t': 'T#' },
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    ),
  );
  const nextCursor = encodeCursor(result.LastEvaluatedKey);
  const items = (result.Items ?? []).map(entryOf);
  return { items, ...(nextCursor ? { nextCursor } : {}) };
}

export interface TimelineSearch {
  region: string;
  year: number;
  department?: string;
  unit?: string;
  type?: string;
}

/**
 * Entries of a region's fiscal year, newest first: by department (gsi3; type and unit narrow it
 * with filters on that partition) or, without a department, by event type (gsi5). Never a scan.
 */
export async function searchTimeline(search: TimelineSearch, limit: number, cursor?: string): Promise<Page<TimelineEntry>> {
  const filters: Filter[] = [];
  let page;
  if (search.department) {
    if (search.type) filters.push({ expression: '#dt = :dt', names: { '#dt': 'detailType' }, values: { ':dt': search.type } });
    if (search.unit) filters.push({ expression: '#su = :su', names: { '#su': 'searchUnit' }, values: { ':su': search.unit } });
    page = await queryPage({ tableName: table(), index: GSI3, partition: `TLD#${search.region}#${search.year}#${search.department}`, filters, limit, newestFirst: true, ...(cursor ? { cursor } : {}) });
  } else if (search.type) {
    page = await queryPage({ tableName: table(), index: GSI5, partition: `TLT#${search.region}#${search.year}#${search.type}`, limit, newestFirst: true, ...(cursor ? { cursor } : {}) });
  } else {
    throw new Error('searchTimeline needs a department or a type');
  }
  return { items: page.items.map(entryOf), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}
