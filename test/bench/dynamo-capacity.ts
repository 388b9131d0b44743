/**
 * DynamoDB capacity arithmetic for the API bench (`indicators-api.ts`): item sizes by
 * DynamoDB's published rules and the capacity units they cost, plus reading the
 * `ConsumedCapacity` DynamoDB (Local) reports.
 *
 * Item size (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html):
 * every attribute costs its name's UTF-8 bytes plus its value: strings their UTF-8 bytes,
 * numbers 1 byte per two significant digits + 1, booleans and null 1, binary its raw bytes,
 * lists and maps 3 bytes + their elements + 1 byte per element, sets the sum of their members.
 *
 * Units: a write costs 1 WCU per started KB of the item (the larger of before and after when
 * it replaces one), a read 1 RCU per started 4 KB when strongly consistent and half that when
 * eventually consistent; a Query rounds the total size of the items it read (matched or
 * filtered out) up to 4 KB once per call; a missing item still costs one unit. In a
 * transaction every item is rounded on its own and then doubled (prepare and commit). Each
 * global secondary index the item is (or was) in costs its own writes: one when the entry
 * appears, disappears or changes in place, two when its key changes; with ALL projection an
 * index entry is the whole item. Index writes cost the same inside a transaction as outside
 * it (`TRANSACTIONAL_INDEX_FACTOR`): AWS documents that a committed transaction's changes
 * propagate to the indexes afterwards, and the dynamodb-conformance / dynoxide projects report
 * measuring exactly this against DynamoDB (nubo-db/dynoxide#188).
 *
 * DynamoDB Local 3.3 reports ConsumedCapacity and agrees with these rules for single-item
 * reads and writes and for Query, but not for TransactWriteItems: it doubles the index writes
 * and charges several sub-1 KB items of one transaction as if they were one (two 600-byte
 * Puts: 2 WCU, where DynamoDB charges 4). The bench therefore prices the recorded commands
 * itself and prints Local's figures beside them.
 *
 * Values are the native JavaScript values the document client marshalls
 * (`removeUndefinedValues: true`): undefined attributes are absent.
 */

export type Item = Record<string, unknown>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

function numberBytes(value: number | bigint): number {
  // Significant digits: no sign, no decimal point, no leading or trailing zeros.
  const text = typeof value === 'bigint' ? value.toString() : Math.abs(value).toExponential().split('e')[0] ?? '0';
  const digits = text.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** Size of one attribute value (without its name). */
export function valueBytes(value: unknown): number {
  if (value === null) return 1;
  switch (typeof value) {
    case 'string':
      return utf8(value);
    case 'number':
    case 'bigint':
      return numberBytes(value);
    case 'boolean':
      return 1;
    case 'object':
      break;
    default:
      return 0;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((n: number, member) => n + valueBytes(member), 0);
  if (Array.isArray(value)) return 3 + value.filter((v) => v !== undefined).reduce((n: number, v) => n + valueBytes(v) + 1, 0);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return 3 + entries.reduce((n, [k, v]) => n + utf8(k) + valueBytes(v) + 1, 0);
}

/** Size of an item: every attribute's name and value. */
export function itemBytes(item: Item | undefined): number {
  if (!item) return 0;
  return Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .reduce((n, [k, v]) => n + utf8(k) + valueBytes(v), 0);
}

export const KB = 1024;

/** WCU of one (non-transactional) write of an item of this size. */
export const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / KB));

/** RCU of one read of this many bytes (a Query call: the sum of every item it read). */
export const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);

/** A global secondary index's key attributes. */
export interface IndexKeys {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

const hasKeys = (item: Item | undefined, index: IndexKeys) =>
  !!item && item[index.partitionKey] !== undefined && (!index.sortKey || item[index.sortKey] !== undefined);

const sameKeys = (a: Item, b: Item, index: IndexKeys) => a[index.partitionKey] === b[index.partitionKey] && (!index.sortKey || a[index.sortKey] === b[index.sortKey]);

/**
 * Index writes a Put of `next` over `previous` (undefined: a new item) causes in one index
 * with ALL projection, in WCU before any transactional doubling.
 */
export function indexWriteUnits(previous: Item | undefined, next: Item, index: IndexKeys): number {
  const before = hasKeys(previous, index);
  const after = hasKeys(next, index);
  if (!before && !after) return 0;
  if (before && !after) return writeUnits(itemBytes(previous));
  if (!before && after) return writeUnits(itemBytes(next));
  if (sameKeys(previous as Item, next, index)) return writeUnits(Math.max(itemBytes(previous), itemBytes(next)));
  return writeUnits(itemBytes(previous)) + writeUnits(itemBytes(next));
}

/** Table writes in a transaction cost twice; see the header for index writes. */
export const TRANSACTIONAL_FACTOR = 2;
export const TRANSACTIONAL_INDEX_FACTOR = 1;

/** Units of one Put (table and every index), transactional or not. */
export function putUnits(previous: Item | undefined, next: Item, indexes: readonly IndexKeys[], transactional: boolean): { table: number; indexes: Record<string, number> } {
  const byIndex: Record<string, number> = {};
  for (const index of indexes) {
    const units = indexWriteUnits(previous, next, index) * (transactional ? TRANSACTIONAL_INDEX_FACTOR : 1);
    if (units > 0) byIndex[index.name] = units;
  }
  return { table: writeUnits(Math.max(itemBytes(previous), itemBytes(next))) * (transactional ? TRANSACTIONAL_FACTOR : 1), indexes: byIndex };
}

/** What one response's `ConsumedCapacity` (an object, or an array for transactions and batches) adds up to. */
export interface Reported {
  readonly total: number;
  readonly table: number;
  readonly indexes: Record<string, number>;
}

interface ConsumedCapacityLike {
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

export function reportedUnits(consumed: unknown): Reported | undefined {
  if (consumed === undefined || consumed === null) return undefined;
  const list = (Array.isArray(consumed) ? consumed : [consumed]) as ConsumedCapacityLike[];
  const indexes: Record<string, number> = {};
  let total = 0;
  let table = 0;
  for (const c of list) {
    total += c.CapacityUnits ?? 0;
    table += c.Table?.CapacityUnits ?? 0;
    for (const [name, u] of Object.entries({ ...c.GlobalSecondaryIndexes, ...c.LocalSecondaryIndexes })) indexes[name] = (indexes[name] ?? 0) + (u.CapacityUnits ?? 0);
  }
  return { total, table, indexes };
}

/** `12`, `4.5`: capacity units as printed in notes. */
export const units = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Bytes as `812 B` or `1.3 KB` (KB of 1024 bytes). */
export const bytes = (n: number) => (n < KB ? `${n} B` : `${(n / KB).toFixed(1)} KB`);
