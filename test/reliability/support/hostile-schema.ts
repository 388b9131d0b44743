/**
 * Reads the routes' zod/mini schemas (params, query, body) so hostile requests can be generated
 * from them: the fields of an object schema with whether they are required, a value of the
 * wrong type for each, a value that breaks each field's constraints, and a minimal valid sample
 * (required fields only) to mutate one field at a time.
 */
import type * as z from 'zod/mini';

type Schema = z.ZodMiniType;
export type Path = readonly (string | number)[];

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  catchall?: Schema;
  innerType?: Schema;
  element?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  checks?: { _zod: { def: CheckDef } }[];
  coerce?: boolean;
  in?: Schema;
  out?: Schema;
  keyType?: Schema;
  valueType?: Schema;
}

interface CheckDef {
  check: string;
  maximum?: number;
  minimum?: number;
  value?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (s: Schema): CheckDef[] => (defOf(s).checks ?? []).map((c) => c._zod.def);

/** The schema without optional/nullable/default wrappers, and whether it may be left out. */
export function unwrap(s: Schema): { inner: Schema; optional: boolean; nullable: boolean } {
  let inner = s;
  let optional = false;
  let nullable = false;
  for (;;) {
    const d = defOf(inner);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault') optional = true;
    else if (d.type === 'nullable') nullable = true;
    else if (d.type === 'pipe' && d.in) {
      inner = d.in;
      continue;
    } else break;
    inner = d.innerType as Schema;
  }
  return { inner, optional, nullable };
}

export const kindOf = (s: Schema): string => defOf(unwrap(s).inner).type;

export interface Field {
  path: Path;
  schema: Schema;
  required: boolean;
  kind: string;
}

/** Fields of an object schema, descending into nested objects (not into arrays or unions). */
export function fieldsOf(s: Schema | undefined, prefix: Path = []): Field[] {
  if (!s) return [];
  const { inner } = unwrap(s);
  const d = defOf(inner);
  if (d.type !== 'object' || !d.shape) return [];
  const out: Field[] = [];
  for (const [name, child] of Object.entries(d.shape)) {
    const u = unwrap(child);
    const path = [...prefix, name];
    const kind = defOf(u.inner).type;
    out.push({ path, schema: child, required: !u.optional, kind });
    if (kind === 'object') out.push(...fieldsOf(child, path).map((f) => ({ ...f, required: f.required && !u.optional })));
  }
  return out;
}

function bounds(s: Schema): { min?: number; max?: number; minLen?: number; maxLen?: number; int: boolean; pattern?: RegExp; multipleOf?: number } {
  const out: ReturnType<typeof bounds> = { int: false };
  for (const c of checksOf(s)) {
    if (c.check === 'max_length') out.maxLen = c.maximum;
    else if (c.check === 'min_length') out.minLen = c.minimum;
    else if (c.check === 'less_than') out.max = Number(c.value);
    else if (c.check === 'greater_than') out.min = Number(c.value);
    else if (c.check === 'number_format') out.int = true;
    else if (c.check === 'multiple_of') out.multipleOf = Number(c.value);
    else if (c.check === 'string_format' && c.pattern) out.pattern = c.pattern;
  }
  return out;
}

/** Values of a type the field does not accept (for query/path fields, strings the coercion cannot save). */
export function wrongTypeValues(s: Schema, where: 'body' | 'query' | 'path'): unknown[] {
  const kind = kindOf(s);
  const { nullable } = unwrap(s);
  if (where !== 'body') {
    // Query and path values are always strings: a wrong "type" is a string that does not coerce.
    if (kind === 'number') return ['abc', '1e400', 'NaN', '0x1G', '[]'];
    if (kind === 'boolean') return ['yes please'];
    return [];
  }
  const all: unknown[] = ['a string', 12345, true, [1, 2], { nested: { x: 1 } }, ...(nullable ? [] : [null])];
  const keep = (v: unknown) => {
    const t = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
    switch (kind) {
      case 'string':
      case 'enum':
        return t !== 'string';
      case 'number':
        return t !== 'number';
      case 'boolean':
        return t !== 'boolean';
      case 'array':
        return t !== 'array';
      case 'object':
      case 'record':
        return t !== 'object';
      case 'literal':
        return !(defOf(unwrap(s).inner).values ?? []).includes(v);
      case 'union':
        return !unwrap(s).inner.safeParse(v).success;
      default:
        return false;
    }
  };
  return all.filter(keep);
}

/** Values of the right type that break a constraint (too long, pattern, range, enum). */
export function constraintBreakers(s: Schema, where: 'body' | 'query' | 'path'): unknown[] {
  const { inner } = unwrap(s);
  const kind = defOf(inner).type;
  const b = bounds(inner);
  const out: unknown[] = [];
  const num = (n: number) => (where === 'body' ? n : String(n));
  if (kind === 'string') {
    if (b.maxLen !== undefined) out.push((where === 'body' ? '長' : 'q').repeat(b.maxLen + 1));
    if (b.minLen !== undefined && b.minLen > 0) out.push('');
    if (b.pattern) out.push('x y\u0000z', '../../etc/passwd');
  } else if (kind === 'number') {
    if (b.max !== undefined) out.push(num(b.max + 1));
    if (b.min !== undefined) out.push(num(b.min - 1));
    if (b.int) out.push(num(1.5));
  } else if (kind === 'enum') out.push('not-a-member', 'OUTPUT');
  else if (kind === 'array') {
    if (b.maxLen !== undefined) out.push(Array.from({ length: b.maxLen + 1 }, () => validSample(defOf(inner).element as Schema) ?? 'x'));
    if (b.minLen !== undefined && b.minLen > 0) out.push([]);
  }
  return out.filter((v) => !s.safeParse(v).success);
}

const STRING_CANDIDATES = [
  'education',
  '360000',
  'HX01',
  '2026-12-31',
  'r_abcd1234',
  'D01',
  'DeclarationSubmitted',
  'csv',
  'json',
  '测试内容',
  'true',
  'https://hooks.example.com/jixiao',
];

function stringSample(s: Schema): string | undefined {
  const b = bounds(s);
  const candidates = [...STRING_CANDIDATES];
  const src = b.pattern?.source ?? '';
  const prefix = /^\^([a-z]+)_/.exec(src)?.[1];
  if (prefix) candidates.unshift(`${prefix}_abcdefghij12`, `${prefix}_2026_department_D01`, `${prefix}_abcdefghij12_abcdefghij12`, `${prefix}_abcdefghij0123456789`, `${prefix}_abcdefghij0123456789abcdef`, `${prefix}_${'0123456789abcdef'.repeat(2)}`);
  return candidates.find((c) => s.safeParse(c).success);
}

/** A minimal valid value: required fields only, the first candidate each leaf accepts. */
export function validSample(s: Schema, where: 'body' | 'query' | 'path' = 'body'): unknown {
  const { inner, optional } = unwrap(s);
  const d = defOf(inner);
  const asWire = (v: unknown) => (where === 'body' ? v : v === undefined ? undefined : String(v));
  switch (d.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, child] of Object.entries(d.shape ?? {})) {
        if (unwrap(child).optional) continue;
        out[name] = validSample(child, where);
      }
      return out;
    }
    case 'string':
      return stringSample(inner);
    case 'number': {
      const b = bounds(inner);
      const candidates = [2026, 1, 10, 50, 0, 100, 0.5, b.min !== undefined ? b.min + 1 : 1];
      return asWire(candidates.find((n) => inner.safeParse(where === 'body' ? n : String(n)).success || inner.safeParse(n).success));
    }
    case 'boolean':
      return asWire(true);
    case 'enum':
      return Object.values(d.entries ?? {})[0];
    case 'literal':
      return d.values?.[0];
    case 'array': {
      const b = bounds(inner);
      const n = Math.max(b.minLen ?? 0, 0);
      return Array.from({ length: n }, () => validSample(d.element as Schema, where));
    }
    case 'union':
      for (const option of d.options ?? []) {
        const v = validSample(option, where);
        if (option.safeParse(v).success) return v;
      }
      return undefined;
    case 'unknown':
    case 'any':
      return {};
    default:
      return optional ? undefined : null;
  }
}

/** A valid sample of the whole schema, or undefined when the minimal one does not pass (refinements). */
export function validBase(s: Schema | undefined, where: 'body' | 'query' | 'path'): Record<string, unknown> | undefined {
  if (!s) return undefined;
  const v = validSample(s, where) as Record<string, unknown>;
  return s.safeParse(v).success ? v : undefined;
}

export function setAt(obj: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  let node: Record<string, unknown> = copy;
  for (const part of path.slice(0, -1)) {
    node[part] = node[part] && typeof node[part] === 'object' ? node[part] : {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
  return copy;
}

export function deleteAt(obj: Record<string, unknown>, path: Path): Record<string, unknown> {
  const copy = structuredClone(obj);
  let node: Record<string, unknown> | undefined = copy;
  for (const part of path.slice(0, -1)) node = node?.[part] as Record<string, unknown> | undefined;
  if (node) delete node[path[path.length - 1] as string];
  return copy;
}

/** `body.period.startYear`, `path.id`: how the API names a field in its problem. */
export const fieldName = (where: string, path: Path): string =>
  path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${p}`), where);
