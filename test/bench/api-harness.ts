/**
 * What the in-process API benches (`indicators-api.ts`, `declaration-api.ts`, `evaluation-scoring.ts`) share: a recorder
 * of the DynamoDB commands a handler sends, the baseline replay of those commands, pricing them
 * by DynamoDB's capacity rules (`dynamo-capacity.ts`), calling and timing a handler, and the
 * function's environment set in this process (and put back).
 *
 * Recorder: a middleware on the shared `DynamoDBDocumentClient` captures every command a route
 * sends (name and a clone of its input, the items at the written keys before each write, and
 * the `ConsumedCapacity` DynamoDB Local reports, asked for with `ReturnConsumedCapacity:
 * INDEXES` — the total plus its table / index split).
 *
 * Baseline: the same commands sent again through the same client with the same inputs (strings
 * rewritten so writes land on fresh items and their conditions hold), sequentially, as bare
 * `client.send` calls. Handler and baseline samples alternate, the order flipping every round.
 */
import { GetCommand, BatchGetCommand, BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand, TransactGetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionEnvironment } from '../../infra/function-env.ts';
import { localProtection } from '../../infra/local/protection.ts';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { documentClient, resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import type { ServiceManifest } from '../../shared/manifest.ts';
import { apiEvent, lambdaContext, type ApiCall } from '../support/api-event.ts';
import type { Row } from './report.ts';
import { itemBytes, putUnits, readUnits, reportedUnits, TRANSACTIONAL_FACTOR, units, writeUnits, bytes, type IndexKeys, type Item, type Reported } from './dynamo-capacity.ts';

// ---------- recording the handler's DynamoDB calls ----------

/** One DynamoDB command as a route sent it. */
export interface Call {
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

export const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'ScanCommand']);

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

export const keyOf = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;

/** Keys a write command touches (for pre-images), with their table. */
function writtenKeys(command: string, input: Item): { table: string; key: Item }[] {
  const fromAction = (action: Record<string, Item | undefined>) => {
    const body = action.Put ?? action.Update ?? action.Delete ?? action.ConditionCheck;
    if (!body) return undefined;
    const put = action.Put?.Item as Item | undefined;
    const key = put ? { pk: put.pk, sk: put.sk } : (body.Key as Item | undefined);
    return key ? { table: String(body.TableName), key } : undefined;
  };
  switch (command) {
    case 'PutItemCommand':
      return [{ table: String(input.TableName), key: { pk: (input.Item as Item).pk, sk: (input.Item as Item).sk } }];
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return [{ table: String(input.TableName), key: input.Key as Item }];
    case 'TransactWriteItemsCommand':
      return (input.TransactItems as Record<string, Item>[]).map(fromAction).filter((k): k is { table: string; key: Item } => !!k);
    default:
      return [];
  }
}

export class Recorder {
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
        for (const { table, key } of writtenKeys(command, input)) {
          const found = await this.peek.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
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

export interface Replay {
  readonly command: string;
  readonly input: Item;
}

/** Deep copy with every string's occurrences of each `from` replaced by its `to`. */
export function rewrite<T>(value: T, pairs: readonly (readonly [string, string])[]): T {
  if (typeof value === 'string') return pairs.reduce((s, [from, to]) => s.replaceAll(from, to), value as string) as T;
  if (Array.isArray(value)) return value.map((v) => rewrite(v, pairs)) as T;
  if (value instanceof Set) return new Set([...value].map((v) => rewrite(v, pairs))) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, pairs)])) as T;
  return value;
}

export const replayOf = (calls: readonly Call[], pairs: readonly (readonly [string, string])[] = []): Replay[] =>
  calls.map((c) => ({ command: c.command, input: rewrite(c.input, pairs) }));

export const shortName = (command: string) => command.replace(/Command$/, '');

/** Keys a BatchGetItem asked for, over all its tables. */
const batchKeys = (input: Item) => Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: Item[] }>).flatMap((r) => r.Keys ?? []);

export function describeCalls(calls: readonly Call[]): string {
  return calls
    .map((c) => {
      const name = shortName(c.command);
      if (c.command === 'TransactWriteItemsCommand') {
        const kinds = (c.input.TransactItems as Record<string, Item>[]).map((a) => String((a.Put?.Item as Item | undefined)?.kind ?? Object.keys(a)[0]));
        return `${name}[${kinds.join(', ')}]`;
      }
      if (c.command === 'QueryCommand') return `${name}(${c.input.IndexName ?? 'table'}, Limit ${c.input.Limit ?? '—'})`;
      if (c.command === 'GetItemCommand') return `${name}(${String((c.input.Key as Item).pk).split('#')[0]}…${c.input.ConsistentRead ? ', strongly consistent' : ''})`;
      if (c.command === 'BatchGetItemCommand') {
        const keys = batchKeys(c.input);
        const prefixes = [...new Set(keys.map((k) => String(k.pk).split('#')[0]))].join(', ');
        const consistent = Object.values((c.input.RequestItems ?? {}) as Record<string, { ConsistentRead?: boolean }>).some((r) => r.ConsistentRead);
        return `${name}(${keys.length} × ${prefixes}…, ${consistent ? 'strongly' : 'eventually'} consistent)`;
      }
      return name;
    })
    .join(' → ');
}

// ---------- capacity ----------

export interface Line {
  readonly what: string;
  readonly units: number;
}

export interface Capacity {
  readonly rcu: number;
  readonly wcu: number;
  readonly read: readonly Line[];
  readonly write: readonly Line[];
}

const sum = (lines: readonly Line[]) => lines.reduce((n, l) => n + l.units, 0);
export const capacity = (read: Line[], write: Line[]): Capacity => ({ rcu: sum(read), wcu: sum(write), read, write });

function breakdown(r: Reported): string {
  const parts = [`table ${units(r.table)}`, ...Object.entries(r.indexes).map(([name, u]) => `${name} ${units(u)}`)];
  return parts.join(' + ');
}

/** A table's global secondary indexes as `dynamo-capacity.ts` takes them. */
export const indexesOf = (manifest: ServiceManifest): IndexKeys[] =>
  (manifest.table?.indexes ?? []).map((i) => ({ name: i.name, partitionKey: i.partitionKey.name, ...(i.sortKey ? { sortKey: i.sortKey.name } : {}) }));

/** Items a Query call read (matched or filtered out): the same query without its filter. */
async function itemsRead(peek: DynamoDBDocumentClient, input: Item): Promise<Item[]> {
  const { FilterExpression: _f, ReturnConsumedCapacity: _r, ExpressionAttributeNames, ExpressionAttributeValues, ...rest } = input;
  const keyCondition = String(input.KeyConditionExpression);
  const used = (token: string) => new RegExp(`${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_])`).test(keyCondition);
  const pick = (o: unknown) => Object.fromEntries(Object.entries((o ?? {}) as Item).filter(([k]) => used(k)));
  // A key condition on plain attribute names has no names to keep, and DynamoDB refuses an empty map.
  const names = pick(ExpressionAttributeNames);
  const out = await peek.send(new QueryCommand({ ...(rest as object), ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}), ExpressionAttributeValues: pick(ExpressionAttributeValues) } as never));
  return (out.Items ?? []) as Item[];
}

/** One call's capacity: computed by `dynamo-capacity.ts`, or (for a command it does not price) as DynamoDB Local reported it. */
interface Priced extends Reported {
  readonly kind: 'read' | 'write';
  readonly by: 'computed' | 'DynamoDB Local';
}

async function price(peek: DynamoDBDocumentClient, call: Call, indexes: readonly IndexKeys[]): Promise<Priced> {
  const kind = READS.has(call.command) ? 'read' : 'write';
  const plain = (u: number, index?: unknown): Priced =>
    typeof index === 'string' ? { kind, by: 'computed', total: u, table: 0, indexes: { [index]: u } } : { kind, by: 'computed', total: u, table: u, indexes: {} };
  const puts = (actions: { previous: Item | undefined; item: Item }[], transactional: boolean): Priced => {
    let table = 0;
    const byIndex: Record<string, number> = {};
    for (const { previous, item } of actions) {
      const u = putUnits(previous, item, indexes, transactional);
      table += u.table;
      for (const [name, n] of Object.entries(u.indexes)) byIndex[name] = (byIndex[name] ?? 0) + n;
    }
    return { kind, by: 'computed', table, indexes: byIndex, total: table + Object.values(byIndex).reduce((n, x) => n + x, 0) };
  };
  switch (call.command) {
    case 'GetItemCommand':
      return plain(readUnits(itemBytes(call.output.Item as Item | undefined), !!call.input.ConsistentRead));
    case 'QueryCommand': {
      const read = await itemsRead(peek, call.input);
      if (read.length !== Number(call.output.ScannedCount ?? read.length)) throw new Error(`re-reading a Query found ${read.length} items, it scanned ${String(call.output.ScannedCount)}`);
      return plain(readUnits(read.reduce((n, i) => n + itemBytes(i), 0), !!call.input.ConsistentRead), call.input.IndexName);
    }
    case 'BatchGetItemCommand': {
      // Each key is read as its own GetItem: every item rounded up to 4 KB on its own.
      const requests = (call.input.RequestItems ?? {}) as Record<string, { Keys?: Item[]; ConsistentRead?: boolean }>;
      const responses = (call.output.Responses ?? {}) as Record<string, Item[]>;
      const unprocessed = Object.keys((call.output.UnprocessedKeys ?? {}) as Item).length > 0;
      const complete = Object.entries(requests).every(([table, r]) => (responses[table] ?? []).length === (r.Keys ?? []).length);
      if (!unprocessed && complete) {
        const u = Object.entries(requests).reduce((n, [table, r]) => n + (responses[table] ?? []).reduce((m, item) => m + readUnits(itemBytes(item), !!r.ConsistentRead), 0), 0);
        return plain(u);
      }
      break;
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

export interface Measured extends Capacity {
  /** DynamoDB Local's own figures, call by call, and whether they equal ours. */
  readonly local: string;
  readonly localAgrees: boolean;
}

export async function measuredCapacity(peek: DynamoDBDocumentClient, calls: readonly Call[], indexes: readonly IndexKeys[]): Promise<Measured> {
  const read: Line[] = [];
  const write: Line[] = [];
  const local: string[] = [];
  let localAgrees = true;
  for (const call of calls) {
    const p = await price(peek, call, indexes);
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

/** The items the transactions of these calls Put. */
export const transactItems = (calls: readonly Call[]): Item[] =>
  calls
    .filter((c) => c.command === 'TransactWriteItemsCommand')
    .flatMap((c) => (c.input.TransactItems as Record<string, Item>[]).map((a) => a.Put?.Item as Item | undefined))
    .filter((i): i is Item => !!i);

/** The items these calls Put, in a transaction or alone (PutItem). */
export const writtenItems = (calls: readonly Call[]): Item[] => [
  ...transactItems(calls),
  ...calls.filter((c) => c.command === 'PutItemCommand').map((c) => c.input.Item as Item),
];

/** The first write among the calls (a transaction or a PutItem), which holds the items' previous state. */
export const firstWrite = (calls: readonly Call[]): Call | undefined => calls.find((c) => c.command === 'TransactWriteItemsCommand' || c.command === 'PutItemCommand');

/** A transactional Put of `item` (over `previous`) as a minimum line. */
export const txPut = (label: string, item: Item, previous?: Item): Line => {
  const u = writeUnits(Math.max(itemBytes(item), itemBytes(previous))) * TRANSACTIONAL_FACTOR;
  return { what: `${label} (${bytes(Math.max(itemBytes(item), itemBytes(previous)))}) ${units(u)}`, units: u };
};

// ---------- running the handler ----------

export type Handler = (event: unknown, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Response {
  status: number;
  headers: Record<string, string>;
  body: any;
}

export interface Rig {
  readonly client: DynamoDBDocumentClient;
  readonly peek: DynamoDBDocumentClient;
  readonly recorder: Recorder;
  readonly handler: Handler;
  /** The function name the Lambda context carries. */
  readonly functionName: string;
}

export async function invoke(rig: Rig, call: ApiCall): Promise<Response> {
  const result = await rig.handler(apiEvent(call), lambdaContext(rig.functionName));
  const text = result.body ?? '';
  return { status: result.statusCode ?? 0, headers: (result.headers ?? {}) as Record<string, string>, body: text ? JSON.parse(text) : undefined };
}

export async function expectStatus(rig: Rig, call: ApiCall, status: number): Promise<Response> {
  const r = await invoke(rig, call);
  if (r.status !== status) throw new Error(`${call.method} ${call.route} answered ${r.status}, expected ${status}: ${JSON.stringify(r.body).slice(0, 300)}`);
  return r;
}

async function timeHandler(rig: Rig, call: ApiCall, status: number): Promise<number> {
  const event = apiEvent(call);
  const context = lambdaContext(rig.functionName);
  const started = performance.now();
  const result = await rig.handler(event, context);
  const ms = performance.now() - started;
  if (result.statusCode !== status) throw new Error(`${call.method} ${call.route} answered ${result.statusCode} during timing, expected ${status}: ${String(result.body).slice(0, 300)}`);
  return ms;
}

export async function timeReplay(rig: Rig, replay: readonly Replay[]): Promise<number> {
  const started = performance.now();
  for (const c of replay) {
    const Command = COMMANDS[c.command];
    if (!Command) throw new Error(`no document-client command for ${c.command}`);
    await rig.client.send(new Command(c.input as never) as never);
  }
  return performance.now() - started;
}

/** One timed round: the handler's request and the baseline's commands. */
export interface Round {
  readonly call: ApiCall;
  readonly status: number;
  readonly replay: readonly Replay[];
}

export interface Timing {
  readonly handlerMs: number[];
  readonly baselineMs: number[];
}

/**
 * `warmup + samples` rounds, each a handler sample and a baseline sample, the order flipping
 * every round; `round(i)` builds round i (and may prepare items for it: that is not timed).
 */
export async function timeRounds(rig: Rig, warmup: number, samples: number, round: (i: number) => Round | Promise<Round>): Promise<Timing> {
  const handlerMs: number[] = [];
  const baselineMs: number[] = [];
  for (let i = 0; i < warmup + samples; i++) {
    const { call, status, replay } = await round(i);
    let h: number;
    let b: number;
    if (i % 2 === 0) {
      h = await timeHandler(rig, call, status);
      b = await timeReplay(rig, replay);
    } else {
      b = await timeReplay(rig, replay);
      h = await timeHandler(rig, call, status);
    }
    if (i >= warmup) {
      handlerMs.push(h);
      baselineMs.push(b);
    }
  }
  return { handlerMs, baselineMs };
}

// ---------- the function's environment ----------

const ENV_KEYS_SET = [
  'SERVICE_NAME',
  'REGION_CODE',
  'EVENT_BUS_NAME',
  'EVENT_SOURCE',
  'TABLE_NAME',
  'SECRETS_KEY',
  'TRAIL_KEY',
  'TRAIL_CHECKPOINTS',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_LOG_LEVEL',
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  // Not set here: Powertools sets it when the handler's modules load; restored all the same.
  'AWS_SDK_UA_APP_ID',
] as const;

export interface FunctionEnvironmentInput {
  readonly manifest: ServiceManifest;
  /** The function's name in the manifest, e.g. `api`. */
  readonly fn: string;
  readonly regionCode: string;
  readonly tableName: string;
  /** DynamoDB Local's endpoint. */
  readonly endpoint: string;
  /** The key files of a function that declares key uses (infra/local/protection.ts `localProtection`). */
  readonly protection?: { secretsKey?: string; trailKey?: string; trailCheckpoints?: string };
}

/**
 * Sets the function's environment in this process; returns how to put the previous one back.
 * Every key it sets is in ENV_KEYS_SET, so the restore removes or resets all of them (and the
 * one Powertools sets as a side effect of importing the handler).
 */
export function useFunctionEnvironment(input: FunctionEnvironmentInput): () => void {
  const saved = new Map(ENV_KEYS_SET.map((k) => [k, process.env[k]]));
  const fn = input.manifest.functions.find((f) => f.name === input.fn);
  if (!fn) throw new Error(`the ${input.manifest.name} manifest has no ${input.fn} function`);
  const { NODE_OPTIONS: _notInProcess, ...env } = functionEnvironment({
    manifest: input.manifest,
    fn,
    regionCode: input.regionCode,
    tableName: input.tableName,
    eventBusName: `jixiao-${input.regionCode}`,
    logLevel: 'SILENT',
    ...(input.protection ? { protection: input.protection } : {}),
  });
  const unexpected = Object.keys(env).filter((k) => !(ENV_KEYS_SET as readonly string[]).includes(k));
  if (unexpected.length) throw new Error(`functionEnvironment() sets ${unexpected.join(', ')}, which the bench would not restore`);
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, env, {
    DYNAMODB_ENDPOINT: input.endpoint,
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

// ---------- figures ----------

export const ms = (n: number) => `${n.toFixed(2)} ms`;

export const quantile = (values: readonly number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

// ---------- one bench's DynamoDB Local, table, environment and recorded handler ----------

export interface ApiBenchOptions {
  /** Timed rounds per operation (one handler and one baseline sample each). */
  readonly samples?: number;
  readonly warmup?: number;
}

/** What an in-process API part hands run.ts. */
export interface ApiBenchResult {
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
  readonly details: unknown;
  readonly elapsedMs: number;
}

export interface RigInput {
  readonly manifest: ServiceManifest;
  readonly regionCode: string;
  readonly tableName: string;
  /** The API handler module, from this folder (`../../services/<name>/handlers/api.ts`). */
  readonly handlerModule: string;
}

/**
 * Starts a DynamoDB Local of its own, creates the service's table from its manifest, sets the
 * API function's environment, records the shared document client and loads the handler; runs
 * `use`; then stops and restores everything, also on failure. The handler (and anything `use`
 * imports) is loaded only once the environment is set: a module that does not load fails this
 * part alone.
 */
export async function withApiRig<T>(input: RigInput, use: (rig: Rig) => Promise<T>): Promise<T> {
  const ddb = await startDynamoDbLocal();
  let restoreEnv: (() => void) | undefined;
  let admin: DynamoDBClient | undefined;
  let client: DynamoDBDocumentClient | undefined;
  let keysDir: string | undefined;
  try {
    // A service whose API seals secrets or signs its trail gets key files of its own, as the local runtime gives it.
    keysDir = mkdtempSync(join(tmpdir(), 'jixiao-bench-keys-'));
    restoreEnv = useFunctionEnvironment({ manifest: input.manifest, fn: 'api', regionCode: input.regionCode, tableName: input.tableName, endpoint: ddb.endpoint, protection: localProtection(keysDir, input.manifest) });
    admin = new DynamoDBClient({ endpoint: ddb.endpoint });
    await ensureTable(admin, input.tableName, input.manifest.table!);
    resetDynamoClientsForTesting();
    client = documentClient();
    const peek = DynamoDBDocumentClient.from(admin, { marshallOptions: { removeUndefinedValues: true } });
    const recorder = new Recorder(peek);
    recorder.install(client);
    const { handler } = (await import(input.handlerModule)) as { handler: Handler };
    return await use({ client, peek, recorder, handler, functionName: `${input.manifest.name}-api` });
  } finally {
    client?.destroy();
    resetDynamoClientsForTesting();
    admin?.destroy();
    await ddb.stop();
    restoreEnv?.();
    if (keysDir) rmSync(keysDir, { recursive: true, force: true });
  }
}
