/**
 * Accountability cases (问责) and their append-only, hash-chained entries.
 *
 * | item        | pk             | sk           | GSIs |
 * |-------------|----------------|--------------|------|
 * | case (head) | CASE#<caseId>  | HEAD         | gsi1 ACASE#<region>#<fiscalYear> / <department or ->#<openedAt>#<caseId>; gsi6 ACASES#<region> / <openedAt>#<caseId> |
 * | case entry  | CASE#<caseId>  | E#<seq:6>    | – (written once: attribute_not_exists; never updated) |
 *
 * The head carries the chain's last seq and hash and a `version` (+1 per entry) for optimistic
 * concurrency: an entry is appended in one transaction with the head moved from the version
 * read, so two writers cannot both append seq n. Lists: a year's cases by gsi1 (department by
 * key prefix; status and rule by filter); all years newest first by gsi6.
 *
 * The rules' per-object state (rules.ts) is at the end of this file: RSTATE#<objectId> items
 * (GRADES; NEXT#<objectId> successor links; WIN#… monitoring windows), no GSIs.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { cancelledByConditions, conditionFailedAt } from '../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../shared/env.ts';
import { putAtVersion, putNew } from '../../shared/items.ts';
import { writeWithOutbox, type OutboxEvent, type TransactItem } from '../../shared/outbox.ts';
import type { Page } from '../../shared/pagination.ts';
import { queryPage, type Filter } from '../../shared/query.ts';
import type { ChainEntry } from './domain/chain.ts';
import type { AccountabilityCase, CaseEntryType, CaseObject, CaseRule, CaseStatus } from './domain/case.ts';
import type { WindowState } from './domain/case-rules.ts';
import type { Grade } from './domain/object-summary.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const source = () => requireEnv(ENV_KEYS.eventSource);
const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
const GSI6 = { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' } as const;

export type CaseEntry = ChainEntry<CaseEntryType> & { caseId: string };

const KEYS = new Set(['pk', 'sk', 'kind', 'ttl', ...[1, 2, 3, 4, 5, 6].flatMap((n) => [`gsi${n}pk`, `gsi${n}sk`])]);
/** An item without its key and bookkeeping attributes. */
export function strip<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEYS.has(k))) as T;
}

const pad = (n: number) => String(n).padStart(6, '0');
const casePk = (id: string) => `CASE#${id}`;

export function caseItem(c: AccountabilityCase): Record<string, unknown> {
  return {
    pk: casePk(c.id),
    sk: 'HEAD',
    kind: 'case',
    gsi1pk: `ACASE#${c.region}#${c.fiscalYear}`,
    gsi1sk: `${c.department ?? '-'}#${c.openedAt}#${c.id}`,
    gsi6pk: `ACASES#${c.region}`,
    gsi6sk: `${c.openedAt}#${c.id}`,
    ...c,
  };
}

function entryItem(caseId: string, e: ChainEntry): TransactItem {
  return putNew(table(), { pk: casePk(caseId), sk: `E#${pad(e.seq)}`, kind: 'case-entry', caseId, ...e });
}

export async function getCase(id: string, consistent = true): Promise<AccountabilityCase | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: casePk(id), sk: 'HEAD' }, ConsistentRead: consistent }));
  return Item ? strip<AccountabilityCase>(Item) : undefined;
}

/**
 * Creates a case with its first entry (index 0: the case, absent; index 1: the entry), the
 * `extra` items (e.g. an idempotency record) after them, and its events.
 */
export async function createCase(c: AccountabilityCase, first: ChainEntry, events: OutboxEvent[], extra: TransactItem[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [putNew(table(), caseItem(c)), entryItem(c.id, first), ...extra], events });
}

/** Opens a case by rule unless it exists (a redelivered or repeated event): returns whether it was opened. */
export async function openCaseOnce(c: AccountabilityCase, first: ChainEntry, events: OutboxEvent[]): Promise<boolean> {
  try {
    await createCase(c, first, events);
    return true;
  } catch (error) {
    if (cancelledByConditions(error) && conditionFailedAt(error, 0)) return false;
    throw error;
  }
}

/**
 * Appends entries to a case: the case replaced at the version read (index 0), each entry
 * created new (indexes 1..n), then the events. A condition failure at 0 is a lost race.
 */
export async function appendCaseEntries(next: AccountabilityCase, expectedVersion: number, entries: readonly ChainEntry[], events: OutboxEvent[] = [], extra: TransactItem[] = []): Promise<void> {
  await writeWithOutbox({ tableName: table(), source: source(), items: [putAtVersion(table(), caseItem(next), expectedVersion), ...entries.map((e) => entryItem(next.id, e)), ...extra], events });
}

/** Every entry of a case by seq, read strongly consistent (the verify route recomputes the chain from them). */
export async function allCaseEntries(id: string): Promise<CaseEntry[]> {
  const out: CaseEntry[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': casePk(id), ':e': 'E#' },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    out.push(...(result.Items ?? []).map((i) => strip<CaseEntry>(i)));
    startKey = result.LastEvaluatedKey;
  } while (startKey);
  return out;
}

export interface CaseFilters {
  year?: number;
  status?: CaseStatus;
  department?: string;
  rule?: CaseRule;
}

/** Cases of a region, newest first across years, or of one year by department; status and rule filter. */
export async function listCases(region: string, f: CaseFilters, limit: number, cursor?: string): Promise<Page<AccountabilityCase>> {
  const filters: Filter[] = [];
  if (f.status) filters.push({ expression: '#status = :status', names: { '#status': 'status' }, values: { ':status': f.status } });
  if (f.rule) filters.push({ expression: '#rule = :rule', names: { '#rule': 'rule' }, values: { ':rule': f.rule } });
  const page =
    f.year !== undefined
      ? await queryPage({
          tableName: table(),
          index: GSI1,
          partition: `ACASE#${region}#${f.year}`,
          ...(f.department ? { sortCondition: { expression: 'begins_with(#sk, :d)', values: { ':d': `${f.department}#` } } } : {}),
          filters,
          limit,
          newestFirst: true,
          ...(cursor ? { cursor } : {}),
        })
      : await queryPage({
          tableName: table(),
          index: GSI6,
          partition: `ACASES#${region}`,
          filters: [...filters, ...(f.department ? [{ expression: '#dep = :dep', names: { '#dep': 'department' }, values: { ':dep': f.department } }] : [])],
          limit,
          newestFirst: true,
          ...(cursor ? { cursor } : {}),
        });
  return { items: page.items.map((i) => strip<AccountabilityCase>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

async function allCasesOfYear(region: string, year: number): Promise<AccountabilityCase[]> {
  const out: AccountabilityCase[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ tableName: table(), index: GSI1, partition: `ACASE#${region}#${year}`, limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((i) => strip<AccountabilityCase>(i)));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** For the People's Congress report: a year's cases (the fiscal year they are about) by status and by rule. */
export async function caseTotals(region: string, year: number): Promise<{ total: number; open: number; decided: number; closed: number; byRule: Record<string, number> }> {
  const cases = await allCasesOfYear(region, year);
  const out = { total: cases.length, open: 0, decided: 0, closed: 0, byRule: {} as Record<string, number> };
  for (const c of cases) {
    out[c.status]++;
    out.byRule[c.rule] = (out.byRule[c.rule] ?? 0) + 1;
  }
  return out;
}

// ---------- the rules' per-object state (rules.ts) ----------
//
// | item                 | pk                   | sk                                            | GSIs |
// |----------------------|----------------------|-----------------------------------------------|------|
// | grades of an object  | RSTATE#<objectId>    | GRADES                                        | –    |
// | successor link       | RSTATE#<previousId>  | NEXT#<objectId>                               | –    |
// | monitoring window    | RSTATE#<objectId>    | WIN#<fiscalYear>#<throughMonth:2>#<windowId>   | –    |

const statePk = (objectId: string) => `RSTATE#${objectId}`;

export interface RuleObjectState {
  object: CaseObject;
  grades: Partial<Record<'self' | 'finance_review' | 'key', Grade>>;
}

/** Keeps the object's ref up to date; its `continues`, once known, is kept (an event without it does not remove it). */
export async function recordRuleObject(object: CaseObject): Promise<void> {
  const { continues, ...ref } = object;
  await documentClient().send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: statePk(object.id), sk: 'GRADES' },
      UpdateExpression: `SET kind = :k, #o = :o${continues ? ', continues = :c' : ''}`,
      ExpressionAttributeNames: { '#o': 'object' },
      ExpressionAttributeValues: { ':k': 'rule-state', ':o': ref, ...(continues ? { ':c': continues } : {}) },
    }),
  );
}

/** Records an evaluation's grade of one kind unless a later one of that kind is already recorded. */
export async function recordRuleGrade(objectId: string, kind: 'self' | 'finance_review' | 'key', grade: Grade, at: string): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: statePk(objectId), sk: 'GRADES' },
        UpdateExpression: 'SET #g = :g, #at = :at',
        ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
        ExpressionAttributeNames: { '#g': `grade_${kind}`, '#at': `gradeAt_${kind}` },
        ExpressionAttributeValues: { ':g': grade, ':at': at },
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
}

export async function getRuleObject(objectId: string): Promise<RuleObjectState | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: statePk(objectId), sk: 'GRADES' }, ConsistentRead: true }));
  if (!Item?.object || typeof Item.object !== 'object' || !(Item.object as CaseObject).id) return undefined;
  const grades: RuleObjectState['grades'] = {};
  for (const kind of ['self', 'finance_review', 'key'] as const) if (typeof Item[`grade_${kind}`] === 'string') grades[kind] = Item[`grade_${kind}`] as Grade;
  return { object: { ...(Item.object as CaseObject), ...(typeof Item.continues === 'string' ? { continues: Item.continues } : {}) }, grades };
}

export async function recordSuccessor(previousId: string, objectId: string): Promise<void> {
  await documentClient().send(new PutCommand({ TableName: table(), Item: { pk: statePk(previousId), sk: `NEXT#${objectId}`, kind: 'rule-successor', objectId } }));
}

export async function successorsOf(objectId: string): Promise<string[]> {
  const result = await documentClient().send(
    new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)', ExpressionAttributeValues: { ':pk': statePk(objectId), ':n': 'NEXT#' }, ConsistentRead: true }),
  );
  return (result.Items ?? []).map((i) => String(i.objectId));
}

const windowSk = (w: { fiscalYear: number; throughMonth: number; windowId: string }) => `WIN#${w.fiscalYear}#${String(w.throughMonth).padStart(2, '0')}#${w.windowId}`;

export type WindowRef = Pick<WindowState, 'windowId' | 'label' | 'throughMonth' | 'fiscalYear'>;

/** What an event says about a window: a report (its revision and whether execution was red), a red deviation, a correction. */
export type WindowFact = { kind: 'reported'; revision: number; red: boolean } | { kind: 'deviation_red' } | { kind: 'corrected' };

export async function recordWindowFact(objectId: string, w: WindowRef, fact: WindowFact): Promise<void> {
  const base = { '#l': 'label', '#m': 'throughMonth', '#y': 'fiscalYear', '#w': 'windowId' };
  const baseValues = { ':k': 'rule-window', ':l': w.label, ':m': w.throughMonth, ':y': w.fiscalYear, ':w': w.windowId };
  const set = 'kind = :k, #l = :l, #m = :m, #y = :y, #w = :w';
  const input =
    fact.kind === 'reported'
      ? {
          UpdateExpression: `SET ${set}, reportedRevision = :r, reportedRed = :red`,
          ConditionExpression: 'attribute_not_exists(reportedRevision) OR reportedRevision < :r',
          ExpressionAttributeValues: { ...baseValues, ':r': fact.revision, ':red': fact.red },
        }
      : fact.kind === 'deviation_red'
        ? { UpdateExpression: `SET ${set}, deviationRed = :t`, ExpressionAttributeValues: { ...baseValues, ':t': true } }
        : { UpdateExpression: `SET ${set}, corrected = :t`, ExpressionAttributeValues: { ...baseValues, ':t': true } };
  try {
    await documentClient().send(new UpdateCommand({ TableName: table(), Key: { pk: statePk(objectId), sk: windowSk(w) }, ExpressionAttributeNames: base, ...input }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
  }
}

export async function windowsOf(objectId: string): Promise<WindowState[]> {
  const result = await documentClient().send(
    new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', ExpressionAttributeValues: { ':pk': statePk(objectId), ':w': 'WIN#' }, ConsistentRead: true }),
  );
  return (result.Items ?? []).map((i) => strip<WindowState>(i));
}
