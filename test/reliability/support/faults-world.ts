/**
 * The local runtime the fault tests run against: the real runtime (DynamoDB Local, stream
 * pollers, the EventBridge endpoint with its dead-letter store, worker sandboxes, HTTP front)
 * with a reduced set of manifests, so that a 2-core machine boots it in a few seconds:
 *
 * - indicators: the real API and relay, through wrapper entries that can inject faults
 *   (faults-api-entry.ts, faults-relay-entry.ts);
 * - accountability: the real timeline consumer (faults-timeline-entry.ts), its table without a
 *   stream (no relay of accountability runs here);
 * - probe: a test-only service whose consumers count effects per event id (faults-probe-entry.ts):
 *   `effects` receives every Jixiao event; `flaky` and `broken` receive only IndicatorPublished
 *   events of indicators named `flaky-…` / `broken-…`; its table has no stream either.
 *
 * Plus the measuring helpers: committed events (outbox items in the producer's table), effects
 * by event id, timeline entries by event id.
 */
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import indicators from '../../../services/indicators/service.ts';
import accountability from '../../../services/accountability/service.ts';
import { functionId, standardTable, type FunctionDecl, type ServiceManifest, type ServiceName, type TableSpec } from '../../../shared/manifest.ts';
import { bootRuntime, type TestRuntime } from '../../support/runtime.ts';
import type { LocalRuntimeOptions } from '../../../infra/local/runtime.ts';
import { FaultControl } from './faults-inject.ts';

const SUPPORT = 'test/reliability/support';

function only(manifest: ServiceManifest, replace: Record<string, string>): ServiceManifest {
  return {
    ...manifest,
    functions: manifest.functions.filter((f) => f.name in replace).map((f): FunctionDecl => ({ ...f, entry: replace[f.name] as string })),
  };
}

/**
 * A table without its stream, for a service whose relay does not run here: nothing reads the
 * stream, and DynamoDB Local keeps a stream record of every write to a table with one (the
 * consumers here write several items per event). Measured on DynamoDB Local: about 1 ms of the
 * engine's CPU a write to a table without a stream, several times that with one, more with every
 * other table with a stream in the engine.
 */
const withoutStream = (manifest: ServiceManifest): ServiceManifest => ({ ...manifest, table: { ...(manifest.table as TableSpec), stream: 'none' } });

export const PROBE_ATTEMPTS = { effects: 8, flaky: 5, broken: 3 } as const;

const probeFn = (name: keyof typeof PROBE_ATTEMPTS, pattern: FunctionDecl['subscriptions'] extends readonly (infer S)[] | undefined ? S extends { pattern: infer P } ? P : never : never): FunctionDecl => ({
  name,
  kind: 'consumer',
  entry: `${SUPPORT}/faults-probe-entry.ts`,
  description: `fault-test probe consumer (${name})`,
  subscriptions: [{ name, pattern, maxAttempts: PROBE_ATTEMPTS[name] }],
});

const namedIndicators = (prefix: string) => ({
  source: ['jixiao.indicators'],
  'detail-type': ['IndicatorPublished'],
  detail: { data: { indicator: { name: [{ prefix }] } } },
});

export const probeManifest: ServiceManifest = {
  name: 'probe' as ServiceName,
  description: 'Test-only consumers counting effects per event id (reliability fault tests)',
  table: { ...standardTable(1), stream: 'none' },
  functions: [
    probeFn('effects', { source: [{ prefix: 'jixiao.' }] }),
    probeFn('flaky', namedIndicators('flaky-')),
    probeFn('broken', namedIndicators('broken-')),
  ],
  publishes: [],
};

export const faultManifests: readonly ServiceManifest[] = [
  only(indicators, { api: `${SUPPORT}/faults-api-entry.ts`, relay: `${SUPPORT}/faults-relay-entry.ts` }),
  withoutStream(only(accountability, { timeline: `${SUPPORT}/faults-timeline-entry.ts` })),
  probeManifest,
];

export interface FaultWorld {
  rt: TestRuntime;
  finance: string;
  /** Fault controls by function id (`indicators-api`, `indicators-relay`, `accountability-timeline`, `probe-flaky`, …). */
  control(service: string, fn: string): FaultControl;
  dynamo: DynamoDBClient;
  stop(): Promise<void>;
}

export async function startFaultWorld(options: Partial<LocalRuntimeOptions> = {}): Promise<FaultWorld> {
  const rt = await bootRuntime({ manifests: faultManifests, writeState: true, ...options });
  const controls = new Map<string, FaultControl>();
  const prefix = (rt.tables.indicators as string).split('jixiao-')[0] as string;
  const dynamo = new DynamoDBClient({ endpoint: rt.dynamodbEndpoint, region: rt.awsRegion, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const finance = await rt.token({ role: 'finance', sub: 'fault-tester' });
  return {
    rt,
    finance,
    dynamo,
    control: (service, fn) => {
      const name = `${prefix}${functionId(service as ServiceName, fn)}`;
      let c = controls.get(name);
      if (!c) controls.set(name, (c = new FaultControl(name)));
      return c;
    },
    stop: async () => {
      try {
        await rt.stop();
      } finally {
        dynamo.destroy();
        for (const c of controls.values()) c.remove();
      }
    },
  };
}

/**
 * What a scan keeps, evaluated by DynamoDB (the full run scans tables of tens of thousands of
 * items, so it asks only for the items and attributes it counts): items whose `name` equals, or
 * begins with, `value`; and only `attributes`.
 */
interface ScanOptions {
  where?: { name: string; value: string; op?: '=' | 'begins_with' };
  attributes?: readonly string[];
}

export async function scanAll(dynamo: DynamoDBClient, tableName: string, options: ScanOptions = {}): Promise<Record<string, any>[]> {
  const names: Record<string, string> = {};
  const name = (attribute: string) => {
    const key = `#n${Object.keys(names).length}`;
    names[key] = attribute;
    return key;
  };
  const where = options.where;
  const filter = where ? ((where.op ?? '=') === '=' ? `${name(where.name)} = :v` : `begins_with(${name(where.name)}, :v)`) : undefined;
  const projection = options.attributes?.map(name).join(', ');
  const items: Record<string, any>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        ...(filter ? { FilterExpression: filter, ExpressionAttributeValues: { ':v': { S: where!.value } } } : {}),
        ...(projection ? { ProjectionExpression: projection } : {}),
        ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Event ids of the outbox items in a producer's table: the events whose state change committed. */
export async function committedEventIds(world: FaultWorld, service = 'indicators'): Promise<Set<string>> {
  const items = await scanAll(world.dynamo, world.rt.tables[service] as string, { where: { name: 'kind', value: 'outbox' }, attributes: ['eventId'] });
  return new Set(items.map((i) => i.eventId as string));
}

/** Effects per event id of one probe consumer. */
export async function probeEffects(world: FaultWorld, fn: keyof typeof PROBE_ATTEMPTS): Promise<Map<string, number>> {
  const items = await scanAll(world.dynamo, world.rt.tables.probe as string, { where: { name: 'kind', value: 'probe-effect' }, attributes: ['sk', 'eventId', 'effects'] });
  const effects = new Map<string, number>();
  for (const item of items) if (String(item.sk).endsWith(`probe-${fn}`)) effects.set(item.eventId, Number(item.effects));
  return effects;
}

/** Attempts per event id of one probe consumer (counted only while its plan makes it fail: faults-probe-entry.ts). */
export async function probeAttempts(world: FaultWorld, fn: keyof typeof PROBE_ATTEMPTS): Promise<Map<string, number>> {
  const items = await scanAll(world.dynamo, world.rt.tables.probe as string, { where: { name: 'pk', value: 'ATTEMPT#', op: 'begins_with' }, attributes: ['pk', 'sk', 'attempts'] });
  return new Map(items.filter((i) => String(i.sk).endsWith(`probe-${fn}`)).map((i) => [String(i.pk).slice('ATTEMPT#'.length), Number(i.attempts)]));
}

/** Timeline entries per event id in the accountability table. */
export async function timelineEntries(world: FaultWorld): Promise<Map<string, number>> {
  return timelineItemsPerEvent(world.dynamo, world.rt.tables.accountability as string);
}

/**
 * Timeline items per event id in the accountability table. A redelivered event overwrites its
 * own entry (same key), so a second item for one event means the consumer filed it under another
 * key: that is the duplicate this counts (test/integration/timeline-duplicates.test.ts plants one).
 */
export async function timelineItemsPerEvent(dynamo: DynamoDBClient, tableName: string): Promise<Map<string, number>> {
  const items = await scanAll(dynamo, tableName, { where: { name: 'kind', value: 'timeline' }, attributes: ['eventId'] });
  const entries = new Map<string, number>();
  for (const item of items) entries.set(item.eventId, (entries.get(item.eventId) ?? 0) + 1);
  return entries;
}

/** Lost (committed, no effect) and duplicated (more than one effect) among `committed`. */
export function tally(committed: ReadonlySet<string>, effects: ReadonlyMap<string, number>): { delivered: number; lost: number; duplicates: number } {
  let delivered = 0;
  let lost = 0;
  let duplicates = 0;
  for (const id of committed) {
    const n = effects.get(id) ?? 0;
    if (n === 0) lost++;
    else delivered++;
    if (n > 1) duplicates += n - 1;
  }
  return { delivered, lost, duplicates };
}

/** Runs `task` over `items` with at most `limit` at a time. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i] as T, i);
      }
    }),
  );
  return results;
}
