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
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import indicators from '../../services/indicators/service.ts';
import { newTimeOrderedId } from '../../shared/ids.ts';
import { financeClaims, type ApiCall } from '../support/api-event.ts';
import {
  capacity,
  describeCalls,
  expectStatus,
  indexesOf,
  keyOf,
  measuredCapacity,
  ms,
  quantile,
  replayOf,
  timeReplay,
  timeRounds,
  transactItems,
  txPut,
  type Call,
  type Capacity,
  type Line,
  type Measured,
  type Replay,
  type Rig,
  type Timing,
  withApiRig,
  type ApiBenchOptions,
  type ApiBenchResult,
} from './api-harness.ts';
import { median } from './cold-import.ts';
import { bytes, indexWriteUnits, itemBytes, readUnits, TRANSACTIONAL_INDEX_FACTOR, units, type IndexKeys, type Item } from './dynamo-capacity.ts';
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

const INDEXES: readonly IndexKeys[] = indexesOf(indicators);

// ---------- the minimum the data model allows ----------

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

// ---------- operations to time ----------

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

const time = (rig: Rig, op: Operation, warmup: number, samples: number): Promise<Timing> =>
  timeRounds(rig, warmup, samples, (i) => ({ call: op.request(i), status: op.status, replay: op.replay(i) }));

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
    [templateId, newTimeOrderedId('ind', new Date())],
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

export async function benchIndicatorsApi(options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const started = performance.now();
  const samples = options.samples ?? 200;
  const warmup = options.warmup ?? 20;
  return withApiRig({ manifest: indicators, regionCode: REGION, tableName: TABLE, handlerModule: '../../services/indicators/handlers/api.ts' }, async (rig) => {
    const { peek, recorder } = rig;

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
      const measured = await measuredCapacity(peek, op.calls, INDEXES);
      const baselineCapacity = await measuredCapacity(peek, check.calls, INDEXES);
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
  });
}
