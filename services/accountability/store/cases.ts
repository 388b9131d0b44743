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
 * read, so two writers cannot both append seq n (store/chain.ts). Lists: a year's cases by gsi1
 * (department by key prefix; status and `rule` by filter); all years newest first by gsi6.
 *
 * The case-opening engine's per-object state (jobs/case-opening.ts) is at the end of this file:
 * RSTATE#<objectId> items (GRADES; NEXT#<objectId> successor links; WIN#… monitoring windows), no GSIs.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../../../shared/clients/dynamodb.ts';
import { conditionFailed } from '../../../shared/conditions.ts';
import { ENV_KEYS, requireEnv } from '../../../shared/env.ts';
import { stripKeys } from '../../../shared/items.ts';
import type { Page } from '../../../shared/pagination.ts';
import { queryPage, type Filter } from '../../../shared/query.ts';
import { chainedRecordStore } from './chain.ts';
import type { ChainEntry } from '../domain/chain.ts';
import type { AccountabilityCase, CaseEntryType, CaseObject, CaseTrigger, CaseStatus } from '../domain/case.ts';
import type { WindowState } from '../domain/case-triggers.ts';
import type { Grade } from '../domain/object-summary.ts';

const table = () => requireEnv(ENV_KEYS.tableName);
const GSI1 = { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' } as const;
const GSI6 = { name: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' } as const;

export type CaseEntry = ChainEntry<CaseEntryType> & { caseId: string };

const cases = chainedRecordStore<AccountabilityCase, CaseEntry>({
  prefix: 'CASE',
  kind: 'case',
  idAttribute: 'caseId',
  indexKeys: (c) => ({
    gsi1pk: `ACASE#${c.region}#${c.fiscalYear}`,
    gsi1sk: `${c.department ?? '-'}#${c.openedAt}#${c.id}`,
    gsi6pk: `ACASES#${c.region}`,
    gsi6sk: `${c.openedAt}#${c.id}`,
  }),
});

export const getCase = cases.get;
/** Creates a case with its first entry, the `extra` items (e.g. an idempotency record) and its events. */
export const createCase = cases.create;
/** Opens a case on a trigger unless it exists (a redelivered or repeated event): returns whether it was opened. */
export const openCaseOnce = cases.createOnce;
/** Appends entries to a case at the version read; a condition failure at index 0 is a lost race. */
export const appendCaseEntries = cases.append;
export const allCaseEntries = cases.allEntries;
export const verifyCaseChain = cases.verify;

export interface CaseFilters {
  year?: number;
  status?: CaseStatus;
  department?: string;
  rule?: CaseTrigger;
}

/** Cases of a region, newest first across years, or of one year by department; status and `rule` filter. */
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
  return { items: page.items.map((i) => stripKeys<AccountabilityCase>(i)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
}

async function allCasesOfYear(region: string, year: number): Promise<AccountabilityCase[]> {
  const out: AccountabilityCase[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage({ tableName: table(), index: GSI1, partition: `ACASE#${region}#${year}`, limit: 1000, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.map((i) => stripKeys<AccountabilityCase>(i)));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** For the People's Congress report: a year's cases (the fiscal year they are about) by status and by trigger (`byRule`). */
export async function caseTotals(region: string, year: number): Promise<{ total: number; open: number; decided: number; closed: number; byRule: Record<string, number> }> {
  const cases = await allCasesOfYear(region, year);
  const out = { total: cases.length, open: 0, decided: 0, closed: 0, byRule: {} as Record<string, number> };
  for (const c of cases) {
    out[c.status]++;
    out.byRule[c.rule] = (out.byRule[c.rule] ?? 0) + 1;
  }
  return out;
}

// ---------- the case-opening engine's per-object state (jobs/case-opening.ts) ----------
//
// | item                 | pk                   | sk                                            | GSIs |
// |----------------------|----------------------|-----------------------------------------------|------|
// | grades of an object  | RSTATE#<objectId>    | GRADES                                        | –    |
// | successor link       | RSTATE#<previousId>  | NEXT#<objectId>                               | –    |
// | monitoring window    | RSTATE#<objectId>    | WIN#<fiscalYear>#<throughMonth:2>#<windowId>   | –    |

const statePk = (objectId: string) => `RSTATE#${objectId}`;

export interface TrackedObjectState {
  object: CaseObject;
  grades: Partial<Record<'self' | 'finance_review' | 'key', Grade>>;
}

/** Keeps the object's ref up to date; its `continues`, once known, is kept (an event without it does not remove it). */
export async function recordTrackedObject(object: CaseObject, at: string): Promise<void> {
  const { continues, ...ref } = object;
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: statePk(object.id), sk: 'GRADES' },
        UpdateExpression: `SET kind = :k, #o = :o, objectAt = :at${continues ? ', continues = :c' : ''}`,
        // What an older event says of the object (a redelivery, a late arrival) never replaces what a newer one said.
        ConditionExpression: 'attribute_not_exists(objectAt) OR objectAt <= :at',
        ExpressionAttributeNames: { '#o': 'object' },
        ExpressionAttributeValues: { ':k': 'rule-state', ':o': ref, ':at': at, ...(continues ? { ':c': continues } : {}) },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/** Records an evaluation's grade of one kind unless a later one of that kind is already recorded. */
export async function recordTrackedGrade(objectId: string, kind: 'self' | 'finance_review' | 'key', grade: Grade, at: string): Promise<void> {
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
    if (!conditionFailed(error)) throw error;
  }
}

export async function getTrackedObject(objectId: string): Promise<TrackedObjectState | undefined> {
  const { Item } = await documentClient().send(new GetCommand({ TableName: table(), Key: { pk: statePk(objectId), sk: 'GRADES' }, ConsistentRead: true }));
  if (!Item?.object || typeof Item.object !== 'object' || !(Item.object as CaseObject).id) return undefined;
  const grades: TrackedObjectState['grades'] = {};
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
    if (!conditionFailed(error)) throw error;
  }
}

export async function windowsOf(objectId: string): Promise<WindowState[]> {
  const result = await documentClient().send(
    new QueryCommand({ TableName: table(), KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', ExpressionAttributeValues: { ':pk': statePk(objectId), ':w': 'WIN#' }, ConsistentRead: true }),
  );
  return (result.Items ?? []).map((i) => stripKeys<WindowState>(i));
}
