/**
 * The indicators API in-process: latency of create, publish, a filtered list and get, each
 * against the bare DynamoDB calls the route makes, and the DynamoDB capacity each consumes
 * against the minimum the data model allows.
 *
 * Set-up: an in-memory DynamoDB Local of our own (always stopped), the indicators table from
 * its manifest, the environment both runtimes give the function (`functionEnvironment()`),
 * then the unchanged handler module, called with API Gateway payload-2.0 events.
 *
 * Baseline: a recorder on the shared `DynamoDBDocumentClient` captures every command a route
 * sends (name and a clone of its input). The baseline sends the same commands with the same
 * inputs through the same client, for writes with the ids, codes, keys and event ids replaced
 * so that every sample writes fresh items and its conditions hold (for publish, onto a fresh
 * draft of its own). Handler and baseline samples alternate, the order flipping every round,
 * after warm-up rounds; the figure is the median, the ratio median / median.
 *
 * Capacity: one request per route runs with the recorder adding `ReturnConsumedCapacity:
 * INDEXES` to each command and keeping the items before each write. The figures are priced
 * from those commands and items by DynamoDB's rules (`dynamo-capacity.ts`); DynamoDB Local's
 * own report is shown beside them (it agrees for Get and Query, not for transactions). The
 * baseline's replay is recorded too, to check it does the same DynamoDB work. The minimum
 * each route could consume is computed from the items the data model requires it to read and
 * write (`minimum*` below; the notes print the breakdown).
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { functionEnvironment } from '../../infra/function-env.ts';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import indicators from '../../services/indicators/service.ts';
import { newId } from '../../services/indicators/ids.ts';
import { documentClient, resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import { apiEvent, financeClaims, lambdaContext, type ApiCall } from '../support/api-event.ts';
import { median } from './cold-import.ts';
import {
  bytes,
  indexWriteUnits,
  itemBytes,
  putUnits,
  readUnits,
  reportedUnits,
  TRANSACTIONAL_FACTOR,
  TRANSACTIONAL_INDEX_FACTOR,
  units,
  writeUnits,
  type IndexKeys,
  type Item,
  type Reported,
} from './dynamo-capacity.ts';
import { row, type Row } from './report.ts';

export const API_LATENCY_BUDGET = { maxRatio: 1.1 } as const;

const REGION = '360000';
const TABLE = `jixiao-${REGION}-indicators`;
const LIBRARY_SIZE = 2000;
const IMPORT_CHUNK = 500;
const PAGE = 25;

// ---------- operations ----------

type OpId = 'create' | 'createKeyed' | 'publish' | 'list' | 'get';

interface OpSpec {
  readonly id: OpId;
  readonly name: string;
  /** Rows: latency, and the capacity kinds with a budget. */
  readonly capacity: readonly ('read' | 'write')[];
}

const OPS: readonly OpSpec[] = [
  { id: 'create', name: 'createIndicator', capacity: ['read', 'write'] },
  { id: 'createKeyed', name: 'createIndicator + Idempotency-Key', capacity: ['read', 'write'] },
  { id: 'publish', name: 'publishIndicator', capacity: ['read', 'write'] },
  { id: 'list', name: `listIndicators level1+scope, ${PAGE}`, capacity: ['read'] },
  { id: 'get', name: 'getIndicator', capacity: ['read'] },
];

/** Budgets this part checks (for the summary when it fails). */
export const API_BUDGETS = OPS.reduce((n, op) => n + 1 + op.capacity.length, 0);

// ---------- request bodies ----------

const LEVELS = [
  ['output', 'quantity'],
  ['cost', 'economic_cost'],
  ['benefit', 'social_benefit'],
  ['satisfaction', 'service_satisfaction'],
] as const;
const SECTORS = ['education', 'health', 'agriculture', 'transport', 'culture'];

const pad = (n: number) => String(n).padStart(6, '0');

/** A realistic indicator: Chinese name, explanation and data source, so an item is about 1 KB. */
function draft(code: string, level: readonly [string, string], n: number, sector?: string) {
  return {
    code,
    name: `第${n % 100}批农村义务教育学生营养改善计划受益学生人数`,
    level1: level[0],
    level2: level[1],
    operator: 'gte',
    unit: '人',
    basis: 'plan',
    explanation: `反映项目实施后本年度实际受益的学生人数，按学期统计并与年初计划数比较，数据以教育部门学籍系统为准（序号${n}）。`,
    dataSource: '县教育局学籍管理系统年度统计报表',
    scope: sector ? 'individual' : 'common',
    ...(sector ? { sector } : {}),
    spendingTypes: n % 2 ? ['project'] : ['project', 'transfer_payment'],
  };
}

/** Library row n: the level-1 categories in turn, a third individual (with a sector), like the scale test. */
function libraryRow(n: number) {
  const individual = n % 3 === 0;
  return draft(`L-${pad(n)}`, LEVELS[n % 4] as readonly [string, string], n, individual ? SECTORS[n % SECTORS.length] : undefined);
}

// ---------- recording the handler's DynamoDB calls ----------

/** One DynamoDB command as a route sent it. */
interface Call {
  /** Low-level name, e.g. `TransactWriteItemsCommand` (what the document client reports). */
  readonly command: string;
  /** The input as the route built it (before the recorder added ReturnConsumedCapacity). */
  readonly input: Item;
  readonly output: Item;
  /** Items at the written keys before the write, by `pk|sk`. */
  readonly before: ReadonlyMap<string, Item | undefined>;
  /** What DynamoDB Local reported. */
  readonly reported?: Reported;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'ScanCommand']);

/** Document-client command classes by the low-level name the recorder sees. */
const COMMANDS: Record<string, new (input: never) => unknown> = {
  GetItemCommand: GetCommand,
  PutItemCommand: PutCommand,
  UpdateItemCommand: UpdateCommand,
  DeleteItemCommand: DeleteCommand,
  QueryCommand,
  BatchGetItemCommand: BatchGetCommand,
  BatchWriteItemCommand: BatchWriteCommand,
  TransactGetItemsCommand: TransactGetCommand,
  TransactWriteItemsCommand: TransactWriteCommand,
};

const keyOf = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;

/** Keys a write command touches (for pre-images). */
function writtenKeys(command: string, input: Item): Item[] {
  const fromAction = (action: Record<string, Item | undefined>) => {
    const put = action.Put?.Item as Item | undefined;
    const key = (action.Update?.Key ?? action.Delete?.Key ?? action.ConditionCheck?.Key) as Item | undefined;
    return put ? { pk: put.pk, sk: put.sk } : key;
  };
  switch (command) {
    case 'PutItemCommand':
      return [{ pk: (input.Item as Item).pk, sk: (input.Item as Item).sk }];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [input.Key as Item];
    case 'TransactWriteItemsCommand':
      return (input.TransactItems as Record<string, Item>[]).map(fromAction).filter((k): k is Item => !!k);
    default:
      return [];
  }
}

class Recorder {
  private recording = false;
  private calls: Call[] = [];

  constructor(private readonly peek: DynamoDBDocumentClient) {}

  install(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!this.recording) return next(args);
        const command = String(context.commandName);
        const input = structuredClone(args.input) as Item;
        const before = new Map<string, Item | undefined>();
        for (const key of writtenKeys(command, input)) {
          const found = await this.peek.send(new GetCommand({ TableName: TABLE, Key: key, ConsistentRead: true }));
          before.set(keyOf(key), found.Item);
        }
        const result = await next({ ...args, input: { ...(args.input as Item), ReturnConsumedCapacity: 'INDEXES' } });
        const output = structuredClone(result.output) as Item;
        const reported = reportedUnits(output.ConsumedCapacity);
        this.calls.push({ command, input, output, before, ...(reported ? { reported } : {}) });
        return result;
      },
      { step: 'initialize', name: 'benchCommandRecorder' },
    );
  }

  async record<T>(fn: () => Promise<T>): Promise<{ result: T; calls: Call[] }> {
    this.calls = [];
    this.recording = true;
    try {
      const result = await fn();
      return { result, calls: this.calls };
    } finally {
      this.recording = false;
      this.calls = [];
    }
  }
}

// ---------- baseline replay ----------

interface Replay {
  readonly command: string;
  readonly input: Item;
}

/** Deep copy with every string's occurrences of each `from` replaced by its `to`. */
function rewrite<T>(value: T, pairs: readonly (readonly [string, string])[]): T {
  if (typeof value === 'string') return pairs.reduce((s, [from, to]) => s.replaceAll(from, to), value as string) as T;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, pairs)) as T;
  if (value instanceof Set) return new Set([...value].map((v) => rewrite(v, pairs))) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, pairs)])) as T;
  return value;
}

const replayOf = (calls: readonly Call[], pairs: readonly (readonly [string, string])[] = []): Replay[] =>
  calls.map((c) => ({ command: c.command, input: rewrite(c.input, pairs) }));

const shortName = (command: string) => command.replace(/Command$/, '');

function describeCalls(calls: readonly Call[]): string {
  return calls
    .map((c) => {
      const name = shortName(c.command);
      if (c.command === 'TransactWriteItemsCommand') {
        const kinds = (c.input.TransactItems as Record<string, Item>[]).map((a) => String((a.Put?.Item as Item | undefined)?.kind ?? Object.keys(a)[0]));
        return `${name}[${kinds.join(', ')}]`;
      }
      if (c.command === 'QueryCommand') return `${name}(${c.input.IndexName ?? 'table'}, Limit ${c.input.Limit ?? '—'})`;
      if (c.command === 'GetItemCommand') return `${name}(${String((c.input.Key as Item).pk).split('#')[0]}…${c.input.ConsistentRead ? ', strongly consistent' : ''})`;
      return name;
    })
    .join(' → ');
}

// ---------- capacity ----------

interface Line {
  readonly what: string;
  readonly units: number;
}

interface Capacity {
  readonly rcu: number;
  readonly wcu: number;
  readonly read: readonly Line[];
  readonly write: readonly Line[];
}

const sum = (lines: readonly Line[]) => lines.reduce((n, l) => n + l.units, 0);
const capacity = (read: Line[], write: Line[]): Capacity => ({ rcu: sum(read), wcu: sum(write), read, write });

function breakdown(r: Reported): string {
  const parts = [`table ${units(r.table)}`, ...Object.entries(r.indexes).map(([name, u]) => `${name} ${units(u)}`)];
  return parts.join(' + ');
}

const INDEXES: readonly IndexKeys[] = indicators.table!.indexes.map((i) => ({ name: i.name, partitionKey: i.partitionKey.name, ...(i.sortKey ? { sortKey: i.sortKey.name } : {}) }));

/** Items a Query call read (matched or filtered out): the same query without its filter. */
async function itemsRead(peek: DynamoDBDocumentClient, input: Item): Promise<Item[]> {
  const { FilterExpression: _f, ReturnConsumedCapacity: _r, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
  const keyCondition = String(input.KeyConditionExpression);
  const used = (token: string) => new RegExp(`${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(keyCondition);
  const pick = (o: unknown) => Object.fromEntries(Object.entries((o ?? {}) as Item).filter(([k]) => used(k)));
  const out = await peek.send(new QueryCommand({ ...(rest as object), ExpressionAttributeNames: pick(ExpressionAttributeNames), ExpressionAttributeValues: pick(ExpressionAttributeValues) } as never));
  return (out.Items ?? []) as Item[];
}

/** One call's capacity: computed by `dynamo-capacity.ts`, or (for a command it does not price) as DynamoDB Local reported it. */
interface Priced extends Reported {
  readonly kind: 'read' | 'write';
  readonly by: 'computed' | 'DynamoDB Local';
}

async function price(peek: DynamoDBDocumentClient, call: Call): Promise<Priced> {
  const kind = READS.has(call.command) ? 'read' : 'write';
  const plain = (u: number, index?: unknown): Priced =>
    typeof index === 'string' ? { kind, by: 'computed', total: u, table: 0, indexes: { [index]: u } } : { kind, by: 'computed', total: u, table: u, indexes: {} };
  const puts = (actions: { previous: Item | undefined; item: Item }[], transactional: boolean): Priced => {
    let table = 0;
    const indexes: Record<string, number> = {};
    for (const { previous, item } of actions) {
      const u = putUnits(previous, item, INDEXES, transactional);
      table += u.table;
      for (const [name, n] of Object.entries(u.indexes)) indexes[name] = (indexes[name] ?? 0) + n;
    }
    return { kind, by: 'computed', table, indexes, total: table + Object.values(indexes).reduce((n, x) => n + x, 0) };
  };
  switch (call.command) {
    case 'GetItemCommand':
      return plain(readUnits(itemBytes(call.output.Item as Item | undefined), !!call.input.ConsistentRead));
    case 'QueryCommand': {
      const read = await itemsRead(peek, call.input);
      if (read.length !== Number(call.output.ScannedCount ?? read.length)) throw new Error(`re-reading a Query found ${read.length} items, it scanned ${String(call.output.ScannedCount)}`);
      return plain(readUnits(read.reduce((n, i) => n + itemBytes(i), 0), !!call.input.ConsistentRead), call.input.IndexName);
    }
    case 'PutItemCommand': {
      const item = call.input.Item as Item;
      return puts([{ previous: call.before.get(keyOf(item)), item }], false);
    }
    case 'TransactWriteItemsCommand': {
      const actions = call.input.TransactItems as Record<string, Item>[];
      if (actions.every((a) => a.Put)) {
        return puts(
          actions.map((a) => a.Put?.Item as Item).map((item) => ({ previous: call.before.get(keyOf(item)), item })),
          true,
        );
      }
      break;
    }
  }
  if (!call.reported) throw new Error(`cannot price ${call.command} and DynamoDB Local reported no capacity for it`);
  return { kind, by: 'DynamoDB Local', ...call.reported };
}

interface Measured extends Capacity {
  /** DynamoDB Local's own figures, call by call, and whether they equal ours. */
  readonly local: string;
  readonly localAgrees: boolean;
}

async function measuredCapacity(peek: DynamoDBDocumentClient, calls: readonly Call[]): Promise<Measured> {
  const read: Line[] = [];
  const write: Line[] = [];
  const local: string[] = [];
  let localAgrees = true;
  for (const call of calls) {
    const p = await price(peek, call);
    const name = shortName(call.command);
    (p.kind === 'read' ? read : write).push({ what: `${name} ${breakdown(p)}${p.by === 'computed' ? '' : ' (as DynamoDB Local reported)'}`, units: p.total });
    const r = call.reported;
    if (!r) {
      localAgrees = false;
      local.push(`${name} none`);
    } else {
      if (r.total !== p.total) localAgrees = false;
      local.push(`${name} ${breakdown(r)} = ${units(r.total)}`);
    }
  }
  return { ...capacity(read, write), local: local.join('; '), localAgrees };
}

// ---------- the minimum the data model allows ----------

const transactItems = (calls: readonly Call[]): Item[] =>
  calls
    .filter((c) => c.command === 'TransactWriteItemsCommand')
    .flatMap((c) => (c.input.TransactItems as Record<string, Item>[]).map((a) => a.Put?.Item as Item | undefined))
    .filter((i): i is Item => !!i);

function required(items: readonly Item[], kind: string, what: string): Item {
  const found = items.find((i) => i.kind === kind);
  if (!found) throw new Error(`the route wrote no ${what} (kind ${kind}); the bench's minimum assumes it must`);
  return found;
}

/**
 * Index entries of an indicator head, in a transaction. gsi4 (sector) of an indicator without
 * a sector is `IND#SEC#-`, a partition no query reads (a sector filter must be a sector code):
 * the minimum leaves it out, as a sparse index would.
 */
function headIndexLines(head: Item, previous: Item | undefined): Line[] {
  return INDEXES.map((index) => {
    if (index.name === 'gsi4' && head.sector === undefined) {
      return { what: `${index.name} entry not needed (no sector: ${String(head.gsi4pk)} is never queried)`, units: 0 };
    }
    const u = indexWriteUnits(previous, head, index) * TRANSACTIONAL_INDEX_FACTOR;
    return { what: `${index.name} entry ${previous ? 'updated' : 'added'} (${String(head[index.partitionKey])}) ${units(u)}`, units: u };
  });
}

const txPut = (label: string, item: Item, previous?: Item): Line => {
  const u = writeUnits(Math.max(itemBytes(item), itemBytes(previous))) * TRANSACTIONAL_FACTOR;
  return { what: `${label} (${bytes(Math.max(itemBytes(item), itemBytes(previous)))}) ${units(u)}`, units: u };
};

function minimumCreate(calls: readonly Call[], keyed: boolean): Capacity {
  const items = transactItems(calls);
  const head = required(items, 'indicator', 'indicator head');
  const write: Line[] = [
    txPut('head', head),
    ...headIndexLines(head, undefined),
    txPut('code claim', required(items, 'code', 'code claim')),
    txPut('audit entry', required(items, 'audit', 'audit entry')),
    ...(keyed ? [txPut('Idempotency-Key record', required(items, 'idempotency-key', 'Idempotency-Key record'))] : []),
  ];
  const read: Line[] = [
    keyed
      ? { what: 'none: a reused key makes the record Put fail its condition, which can return the stored response (ReturnValuesOnConditionCheckFailure), so the first attempt needs no look-up', units: 0 }
      : { what: 'none: the id is new and code uniqueness is the claim’s condition', units: 0 },
  ];
  return capacity(read, write);
}

function minimumPublish(calls: readonly Call[]): Capacity {
  const items = transactItems(calls);
  const head = required(items, 'indicator', 'indicator head');
  const tx = calls.find((c) => c.command === 'TransactWriteItemsCommand');
  const previous = tx?.before.get(keyOf(head));
  if (!previous) throw new Error('publish: no draft found before the write');
  const read: Line[] = [
    {
      what: `head, strongly consistent (${bytes(itemBytes(previous))}) ${units(readUnits(itemBytes(previous), true))}: the revision record and the event carry the full content, which the request does not; strongly consistent so If-Match sees the caller’s own last write`,
      units: readUnits(itemBytes(previous), true),
    },
  ];
  const write: Line[] = [
    txPut('head replaced', head, previous),
    ...headIndexLines(head, previous),
    txPut('audit entry', required(items, 'audit', 'audit entry')),
    txPut('revision record', required(items, 'indicator-revision', 'revision record')),
    txPut('outbox item', required(items, 'outbox', 'outbox item')),
  ];
  return capacity(read, write);
}

function minimumGet(calls: readonly Call[]): Capacity {
  const item = calls.find((c) => c.command === 'GetItemCommand')?.output.Item as Item | undefined;
  const u = readUnits(itemBytes(item), true);
  return capacity([{ what: `one strongly consistent Get of the head (${bytes(itemBytes(item))}) ${units(u)}: the ETag it returns must reflect the caller’s own last write`, units: u }], []);
}

interface ListWalk {
  readonly read: number;
  readonly bytes: number;
  readonly matched: number;
}

/** The items a level1+scope page must read at least: newest first in the level-1 partition until the 25th match. */
async function walkUntilMatches(peek: DynamoDBDocumentClient, level1: string, scope: string, wanted: number): Promise<ListWalk> {
  let read = 0;
  let size = 0;
  let matched = 0;
  let start: Item | undefined;
  do {
    const out = await peek.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `IND#L1#${level1}` },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of (out.Items ?? []) as Item[]) {
      read++;
      size += itemBytes(item);
      if (item.scope === scope) matched++;
      if (matched === wanted) return { read, bytes: size, matched };
    }
    start = out.LastEvaluatedKey as Item | undefined;
  } while (start);
  return { read, bytes: size, matched };
}

function minimumList(walk: ListWalk): Capacity {
  const u = readUnits(walk.bytes, false);
  return capacity(
    [
      {
        what: `one Query of gsi2 (the level-1 partition; GSIs read eventually consistent) reading the ${walk.read} items up to the ${walk.matched}th scope match, ${bytes(walk.bytes)} rounded up to 4 KB once: ${units(u)}. Scope is in no index key, so the non-matching items are read and paid for; and it is a lower bound, since no Query can stop at the ${walk.matched}th match: one call must guess its Limit (over-reading), or calls must be repeated (rounding each)`,
        units: u,
      },
    ],
    [],
  );
}

// ---------- running the handler ----------

type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

interface Response {
  status: number;
  headers: Record<string, string>;
  body: any;
}

interface Rig {
  readonly client: DynamoDBDocumentClient;
  readonly peek: DynamoDBDocumentClient;
  readonly recorder: Recorder;
  readonly handler: Handler;
}

async function invoke(rig: Rig, call: ApiCall): Promise<Response> {
  const result = await rig.handler(apiEvent(call), lambdaContext('indicators-api'));
  const text = result.body ?? '';
  return { status: result.statusCode ?? 0, headers: (result.headers ?? {}) as Record<string, string>, body: text ? JSON.parse(text) : undefined };
}

async function expectStatus(rig: Rig, call: ApiCall, status: number): Promise<Response> {
  const r = await invoke(rig, call);
  if (r.status !== status) throw new Error(`${call.method} ${call.route} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body).slice(0, 300)}`);
  return r;
}

async function timeHandler(rig: Rig, call: ApiCall, status: number): Promise<number> {
  const event = apiEvent(call);
  const context = lambdaContext('indicators-api');
  const started = performance.now();
  const result = await rig.handler(event, context);
  const ms = performance.now() - started;
  if (result.statusCode !== status) throw new Error(`${call.method} ${call.route} answered ${result.statusCode} during timing, expected ${status}: ${String(result.body).slice(0, 300)}`);
  return ms;
}

async function timeReplay(rig: Rig, replay: readonly Replay[]): Promise<number> {
  const started = performance.now();
  for (const c of replay) {
    const Command = COMMANDS[c.command];
    if (!Command) throw new Error(`no document-client command for ${c.command}`);
    await rig.client.send(new Command(c.input as never) as never);
  }
  return performance.now() - started;
}

interface Operation {
  readonly spec: OpSpec;
  /** The handler request of sample i (i counts warm-up rounds too). */
  request(i: number): ApiCall;
  readonly status: number;
  /** The baseline's commands for sample i; -1 is the recorded check replay. */
  replay(i: number): Replay[];
  readonly calls: readonly Call[];
  readonly minimum: Capacity;
}

interface Timing {
  readonly handlerMs: number[];
  readonly baselineMs: number[];
}

async function time(rig: Rig, op: Operation, warmup: number, samples: number): Promise<Timing> {
  const handlerMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    const call = op.request(i);
    const replay = op.replay(i);
    let h: number;
    let b: number;
    if (i % 2 === 0) {
      h = await timeHandler(rig, call, op.status);
      b = await timeReplay(rig, replay);
    } else {
      b = await timeReplay(rig, replay);
      h = await timeHandler(rig, call, op.status);
    }
    if (i >= warmup) {
      handlerMs.push(h);
      baselineMs.push(b);
    }
  }
  return { handlerMs, baselineMs };
}

// ---------- building the operations ----------

async function createOperation(rig: Rig, keyed: boolean): Promise<Operation> {
  const spec = OPS.find((o) => o.id === (keyed ? 'createKeyed' : 'create')) as OpSpec;
  const level = LEVELS[3];
  // Same length for template, handler and baseline values so item sizes match.
  const code = (who: 'T' | 'H' | 'B', i: number) => `${keyed ? 'K' : 'C'}${who}-${pad(i)}`;
  const key = (who: 'T' | 'H' | 'B', i: number) => `bench-key-${who}-${pad(i)}`;
  const request = (who: 'T' | 'H' | 'B', i: number): ApiCall => ({
    method: 'POST',
    route: '/v1/indicators',
    // The same content every time (only the code differs, at the same length), so the items the
    // handler writes and those the baseline replays are the same size.
    body: draft(code(who, i), level, 0),
    claims: financeClaims,
    ...(keyed ? { headers: { 'idempotency-key': key(who, i) } } : {}),
  });
  const { result, calls } = await rig.recorder.record(() => expectStatus(rig, request('T', 0), 201));
  const templateId = result.body.id as string;
  const pairs = (i: number): [string, string][] => [
    [templateId, newId('ind', new Date())],
    [code('T', 0), code('B', i)],
    [code('T', 0).toLowerCase(), code('B', i).toLowerCase()],
    ...(keyed ? [[key('T', 0), key('B', i)] as [string, string]] : []),
  ];
  return {
    spec,
    request: (i) => request('H', i + 1),
    status: 201,
    replay: (i) => replayOf(calls, pairs(i + 1)),
    calls,
    minimum: minimumCreate(calls, keyed),
  };
}

interface Draft {
  id: string;
  code: string;
  createdAt: string;
}

async function publishOperation(rig: Rig, count: number): Promise<Operation> {
  const spec = OPS.find((o) => o.id === 'publish') as OpSpec;
  // drafts[0]: the recorded request; [1]: the recorded baseline check; then handler, baseline pairs.
  const drafts: Draft[] = [];
  for (let n = 0; n < count; n++) {
    const r = await expectStatus(rig, { method: 'POST', route: '/v1/indicators', body: draft(`P-${pad(n)}`, LEVELS[1], 0), claims: financeClaims }, 201);
    drafts.push({ id: r.body.id, code: r.body.code, createdAt: r.body.createdAt });
  }
  const at = (n: number) => {
    const d = drafts[n];
    if (!d) throw new Error(`publish: only ${drafts.length} drafts prepared, sample needs #${n}`);
    return d;
  };
  const request = (d: Draft): ApiCall => ({ method: 'POST', route: '/v1/indicators/{id}/publish', params: { id: d.id }, headers: { 'if-match': `"${d.id}.v1"` }, claims: financeClaims });
  const template = at(0);
  const { calls } = await rig.recorder.record(() => expectStatus(rig, request(template), 200));
  const eventId = transactItems(calls).find((i) => i.kind === 'outbox')?.eventId as string | undefined;
  const pairs = (d: Draft): [string, string][] => [
    [template.id, d.id],
    [template.code, d.code],
    [template.code.toLowerCase(), d.code.toLowerCase()],
    [template.createdAt, d.createdAt],
    ...(eventId ? [[eventId, randomUUID()] as [string, string]] : []),
  ];
  return {
    spec,
    request: (i) => request(at(2 + 2 * i)),
    status: 200,
    replay: (i) => replayOf(calls, pairs(i < 0 ? at(1) : at(3 + 2 * i))),
    calls,
    minimum: minimumPublish(calls),
  };
}

async function readOperation(rig: Rig, id: 'list' | 'get', call: ApiCall, minimum: (calls: readonly Call[]) => Promise<Capacity> | Capacity): Promise<Operation> {
  const spec = OPS.find((o) => o.id === id) as OpSpec;
  const { calls } = await rig.recorder.record(() => expectStatus(rig, call, 200));
  return { spec, request: () => call, status: 200, replay: () => replayOf(calls), calls, minimum: await minimum(calls) };
}

// ---------- the bench ----------

export interface ApiBenchOptions {
  /** Timed rounds per operation (one handler and one baseline sample each). */
  readonly samples?: number;
  readonly warmup?: number;
}

export interface ApiBenchResult {
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly details: unknown;
  readonly elapsedMs: number;
}

const ENV_KEYS_SET = [
  'SERVICE_NAME',
  'REGION_CODE',
  'EVENT_BUS_NAME',
  'EVENT_SOURCE',
  'TABLE_NAME',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
] as const;

/** Sets the function's environment in this process; returns how to put the previous one back. */
function useFunctionEnvironment(endpoint: string): () => void {
  const saved = new Map(ENV_KEYS_SET.map((k) => [k, process.env[k]]));
  const fn = indicators.functions.find((f) => f.name === 'api');
  if (!fn) throw new Error('the indicators manifest has no api function');
  const { NODE_OPTIONS: _notInProcess, ...env } = functionEnvironment({
    manifest: indicators,
    fn,
    regionCode: REGION,
    tableName: TABLE,
    eventBusName: `jixiao-${REGION}`,
    logLevel: 'SILENT',
  });
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, env, {
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'cn-northwest-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    // Node 20 here, 22 in Lambda: the SDK's version notice is noise.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;
const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

export async function benchIndicatorsApi(options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const started = performance.now();
  const samples = options.samples ?? 200;
  const warmup = options.warmup ?? 20;
  const ddb = await startDynamoDbLocal();
  const restoreEnv = useFunctionEnvironment(ddb.endpoint);
  const admin = new DynamoDBClient({ endpoint: ddb.endpoint });
  let client: DynamoDBDocumentClient | undefined;
  try {
    await ensureTable(admin, TABLE, indicators.table!);
    resetDynamoClientsForTesting();
    client = documentClient();
    const peek = DynamoDBDocumentClient.from(admin, { marshallOptions: { removeUndefinedValues: true } });
    const recorder = new Recorder(peek);
    recorder.install(client);
    const { handler } = (await import('../../services/indicators/handlers/api.ts')) as unknown as { handler: Handler };
    const rig: Rig = { client, peek, recorder, handler };

    // The library: sectors, then published indicators through the import route.
    const setupStarted = performance.now();
    for (const code of SECTORS) await expectStatus(rig, { method: 'PUT', route: '/v1/indicators/sectors/{code}', params: { code }, body: { label: code }, claims: financeClaims }, 200);
    for (let i = 0; i < LIBRARY_SIZE; i += IMPORT_CHUNK) {
      const rows = Array.from({ length: Math.min(IMPORT_CHUNK, LIBRARY_SIZE - i) }, (_, k) => libraryRow(i + k));
      const r = await expectStatus(rig, { method: 'POST', route: '/v1/indicators/imports', body: { format: 'json', publish: true, indicators: rows }, claims: financeClaims }, 200);
      if (r.body.imported !== rows.length) throw new Error(`library import: ${r.body.imported} of ${rows.length} imported`);
    }
    const publishRounds = warmup + samples;
    const publish = await publishOperation(rig, 2 + 2 * publishRounds);
    const setupMs = performance.now() - setupStarted;

    const listCall: ApiCall = { method: 'GET', route: '/v1/indicators', query: { level1: 'output', scope: 'common', limit: String(PAGE) }, claims: financeClaims };
    const page = await expectStatus(rig, listCall, 200);
    if (page.body.items.length !== PAGE) throw new Error(`the list answered ${page.body.items.length} items, expected ${PAGE}`);
    const walk = await walkUntilMatches(peek, 'output', 'common', PAGE);
    const someId = page.body.items[PAGE - 1].id as string;

    const operations: Operation[] = [
      await createOperation(rig, false),
      await createOperation(rig, true),
      publish,
      await readOperation(rig, 'list', listCall, () => minimumList(walk)),
      await readOperation(rig, 'get', { method: 'GET', route: '/v1/indicators/{id}', params: { id: someId }, claims: financeClaims }, minimumGet),
    ];

    const rows: Row[] = [];
    const notes: string[] = [];
    const details: Record<string, unknown> = { setupMs, samples, warmup, library: LIBRARY_SIZE };
    const findings: string[] = [];
    const measuredBy = new Map<OpId, Measured>();

    for (const op of operations) {
      // The baseline must do the same DynamoDB work: record one replay and compare.
      const check = await recorder.record(() => timeReplay(rig, op.replay(-1)));
      const measured = await measuredCapacity(peek, op.calls);
      const baselineCapacity = await measuredCapacity(peek, check.calls);
      measuredBy.set(op.spec.id, measured);
      const timing = await time(rig, op, warmup, samples);
      const h = median(timing.handlerMs);
      const b = median(timing.baselineMs);
      const callText = describeCalls(op.calls);
      rows.push(
        row({
          bench: 'api',
          name: `${op.spec.name} latency`,
          value: h,
          unit: 'ms',
          baseline: b,
          budget: API_LATENCY_BUDGET,
          note: `median of ${samples} in-process handler calls vs the same DynamoDB calls sent bare: ${callText}`,
        }),
      );
      for (const kind of op.spec.capacity) {
        const value = kind === 'read' ? measured.rcu : measured.wcu;
        const min = kind === 'read' ? op.minimum.rcu : op.minimum.wcu;
        rows.push(
          row({
            bench: 'api',
            name: `${op.spec.name} ${kind} capacity`,
            value,
            unit: kind === 'read' ? 'rcu' : 'wcu',
            budget: { max: min },
            note: `minimum ${units(min)}: ${(kind === 'read' ? op.minimum.read : op.minimum.write).map((l) => l.what).join('; ')}`,
          }),
        );
        if (value > min) findings.push(`${op.spec.name} ${units(value)} ${kind === 'read' ? 'RCU' : 'WCU'} vs ${units(min)}`);
      }
      const sameWork = baselineCapacity.rcu === measured.rcu && baselineCapacity.wcu === measured.wcu && check.calls.length === op.calls.length;
      const lines = (l: readonly Line[]) => (l.length ? l.map((x) => x.what).join('; ') : 'none');
      notes.push(
        `${op.spec.name}: ${callText}`,
        `    latency: handler ${ms(h)} (p90 ${ms(quantile(timing.handlerMs, 0.9))}), bare calls ${ms(b)} (p90 ${ms(quantile(timing.baselineMs, 0.9))}): ${ms(h - b)} of handler work per request.`,
        `    consumed: ${units(measured.rcu)} RCU, ${units(measured.wcu)} WCU = ${lines([...measured.read, ...measured.write])}. DynamoDB Local reported ${measured.localAgrees ? 'the same' : `${measured.local} (see the capacity note)`}.`,
        `    minimum: ${units(op.minimum.rcu)} RCU, ${units(op.minimum.wcu)} WCU. Reads: ${lines(op.minimum.read)}. Writes: ${lines(op.minimum.write)}.`,
        `    baseline: ${sameWork ? 'made the same calls and consumed the same capacity as the handler (checked).' : `⚠ differs from the handler: ${check.calls.length} call(s), ${units(baselineCapacity.rcu)} RCU, ${units(baselineCapacity.wcu)} WCU.`}`,
      );
      details[op.spec.id] = {
        handlerMs: timing.handlerMs.map((x) => Number(x.toFixed(3))),
        baselineMs: timing.baselineMs.map((x) => Number(x.toFixed(3))),
        calls: op.calls.map((c) => ({
          command: c.command,
          reportedByDynamoDbLocal: c.reported,
          ...(c.command === 'TransactWriteItemsCommand'
            ? { items: transactItems([c]).map((i) => ({ kind: i.kind, pk: i.pk, sk: i.sk, bytes: itemBytes(i) })) }
            : {}),
          ...(c.command === 'QueryCommand' ? { limit: c.input.Limit, count: c.output.Count, scannedCount: c.output.ScannedCount } : {}),
          ...(c.command === 'GetItemCommand' ? { consistentRead: !!c.input.ConsistentRead, bytes: itemBytes(c.output.Item as Item | undefined) } : {}),
        })),
        measured,
        minimum: op.minimum,
        baselineCheck: { calls: check.calls.length, rcu: baselineCapacity.rcu, wcu: baselineCapacity.wcu },
      };
    }

    const listOp = operations.find((o) => o.spec.id === 'list');
    const listMeasured = measuredBy.get('list');
    const scanned = listOp?.calls.reduce((n, c) => n + Number(c.output.ScannedCount ?? 0), 0) ?? 0;
    const head = transactItems(operations[0]?.calls ?? []).find((i) => i.kind === 'indicator');
    const headBytes = itemBytes(head);
    const searchBytes = itemBytes(head ? { searchText: head.searchText } : undefined);
    const keyBytes = itemBytes(head ? Object.fromEntries(Object.entries(head).filter(([k]) => /^gsi\d(pk|sk)$/.test(k))) : undefined);
    const localDiffers = [...measuredBy.values()].some((m) => !m.localAgrees);
    notes.unshift(
      `Setup: in-memory DynamoDB Local, table ${TABLE} from the manifest, ${LIBRARY_SIZE} published indicators imported through POST /v1/indicators/imports (the four level-1 categories in turn, a third individual with a sector), ${2 + 2 * publishRounds} drafts for publish; ${(setupMs / 1000).toFixed(1)} s. Created and published indicators are common (no sector), like most 共性 indicators.`,
      `Latency: the unchanged handler called in-process with API Gateway v2 events (a finance user's JWT claims), timed around the handler call; baseline = the DynamoDB commands the route sent (recorded by a middleware on the shared document client), sent again through the same client with the same inputs (for writes: fresh ids, codes, keys and event ids; publish onto a draft of its own). ${warmup} warm-up rounds, then ${samples} rounds, the order flipping each round; figure = median, ratio = median / median.`,
      `Capacity: priced from the commands each route sent (recorded once per route with ReturnConsumedCapacity=INDEXES) and the items they read and wrote, by DynamoDB's rules: writes 1 WCU per started KB of the item (the larger of old and new), each index entry added, changed or removed 1 WCU per KB (2 when its key moves), transactional items ×2 each (index writes not doubled); reads 1 RCU per started 4 KB strongly consistent, 0.5 eventually consistent; a Query rounds all the items it read, filtered out or not, once per call.${localDiffers ? ' DynamoDB Local reports ConsumedCapacity but not by these rules for TransactWriteItems (it doubles index writes and charges several sub-1 KB items of one transaction as one), so its figures are shown, not used; for Get and Query it agrees.' : ' DynamoDB Local reported the same figures for every call.'}`,
      `Budget: the minimum the data model allows: the items the operation must read and write (store.ts keys) at their actual sizes, in as few calls as the model permits, without index entries no query reads. Over it means the route reads, writes or rounds more than it has to.`,
      `Item sizes: the indicator head is ${bytes(headBytes)} (index keys ${bytes(keyBytes)}, searchText — a lower-case copy of name, explanation and code for the text filter — ${bytes(searchBytes)})${headBytes > 1024 ? `; over 1 KB, so every head write and each of its index entries costs 2 WCU instead of 1${headBytes - searchBytes <= 1024 ? ', and without searchText it would fit in 1 KB' : ''}` : ', within 1 KB'}.`,
    );
    if (listOp && listMeasured) {
      notes.push(
        `listIndicators: the page took ${listOp.calls.length} Query call(s) reading ${scanned} items (the minimum reads ${walk.read}): queryPage asks again with Limit = what is still missing after the filter drops items, and each call is rounded up to 4 KB on its own, so ${listOp.calls.length} calls cost ${units(listMeasured.rcu)} RCU where one call reading the same ${walk.read} items costs ${units(minimumList(walk).rcu)}${listOp.calls.length > 1 ? ', and take that many round trips' : ''}.`,
      );
    }
    notes.push(
      findings.length ? `Over the minimum: ${findings.join('; ')} (breakdowns above).` : 'Every operation consumes exactly the minimum the data model allows.',
      'Counted as the data model, not as avoidable: ALL projection on the four GSIs (each head write pays its index entries in full, but a list needs no second read); scope in no index key (a level1+scope list pays for the non-matching items it reads).',
    );
    return { rows, notes, details, elapsedMs: performance.now() - started };
  } finally {
    client?.destroy();
    resetDynamoClientsForTesting();
    admin.destroy();
    await ddb.stop();
    restoreEnv();
  }
}
