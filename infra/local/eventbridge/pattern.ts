/**
 * EventBridge event-pattern matching for the local runtime, with AWS semantics:
 *
 * - an object pattern ANDs its fields; nested objects descend into the event;
 * - a leaf is an array of alternatives (OR): plain values match exactly (type-strict),
 *   objects are content filters;
 * - when the event holds an array, the leaf matches if any element matches, and a nested
 *   pattern matches if one element satisfies all of it (AWS "array consistency");
 * - content filters only apply to leaf values: an object in the event is never a value.
 *
 * Patterns are validated when compiled, so a manifest with a pattern the local runtime
 * cannot honour fails at start-up instead of silently matching nothing (or everything).
 * The same matcher serves Lambda event-source filters (the outbox stream filter), which use
 * the same syntax against the plain stream record.
 */
import type { EventPattern } from '../../../shared/event-pattern.ts';

/** Base class: the pattern cannot be used (malformed or unsupported). */
export class EventPatternError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`event pattern at ${path || '(root)'}: ${message}`);
    this.name = new.target.name;
  }
}

/** The pattern is not valid EventBridge syntax (AWS would reject it too). */
export class InvalidPatternError extends EventPatternError {}

/** The pattern uses an operator this local runtime does not implement. */
export class UnsupportedPatternError extends EventPatternError {
  constructor(
    path: string,
    readonly operator: string,
  ) {
    super(
      path,
      KNOWN_UNSUPPORTED.has(operator)
        ? `operator "${operator}" is valid EventBridge syntax but not implemented by the local runtime`
        : `"${operator}" is not an EventBridge pattern operator`,
    );
  }
}

/** Real EventBridge operators we deliberately do not implement (yet): named in the error. */
const KNOWN_UNSUPPORTED = new Set(['wildcard', 'cidr', '$or']);

export interface CompiledPattern {
  readonly pattern: EventPattern;
  matches(event: unknown): boolean;
}

/** Tests the leaf values found at one path (possibly none). */
type LeafTest = (values: readonly unknown[]) => boolean;
/** Tests one node of the event (an object, a scalar, or undefined when absent). */
type NodeTest = (node: unknown) => boolean;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function childPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Arrays nest freely in events; matching sees their elements, flattened. */
function flatten(value: readonly unknown[]): unknown[] {
  return value.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
}

/** The values a leaf sees at a path: scalars and null, never objects. */
function leafValues(node: unknown): unknown[] {
  if (node === undefined) return [];
  if (Array.isArray(node)) return flatten(node).filter((item) => !isPlainObject(item));
  return isPlainObject(node) ? [] : [node];
}

function field(node: unknown, key: string): unknown {
  return isPlainObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
}

/** Compiles and validates a pattern; throws EventPatternError for anything it cannot honour. */
export function compilePattern(pattern: EventPattern | Readonly<Record<string, unknown>>): CompiledPattern {
  if (!isPlainObject(pattern)) throw new InvalidPatternError('', 'a pattern must be a JSON object');
  const test = compileObject(pattern, '');
  return { pattern: pattern as EventPattern, matches: (event) => test(event) };
}

function compileObject(pattern: Record<string, unknown>, path: string): NodeTest {
  const keys = Object.keys(pattern);
  if (keys.length === 0) throw new InvalidPatternError(path, 'an empty object matches nothing; remove it');
  const tests = keys.map((key): NodeTest => {
    const here = childPath(path, key);
    if (key === '$or') throw new UnsupportedPatternError(here, key);
    const sub = pattern[key];
    if (Array.isArray(sub)) {
      const leaf = compileLeaf(sub, here);
      return (node) => leaf(leafValues(field(node, key)));
    }
    if (isPlainObject(sub)) {
      const nested = compileObject(sub, here);
      return (node) => matchNested(field(node, key), nested);
    }
    throw new InvalidPatternError(here, `must be an array of values or a nested object, got ${JSON.stringify(sub)}`);
  });
  return (node) => tests.every((test) => test(node));
}

function matchNested(node: unknown, nested: NodeTest): boolean {
  if (!Array.isArray(node)) return nested(node);
  const items = flatten(node);
  // An empty array holds no fields: only `exists: false` style patterns can match it.
  return items.length === 0 ? nested(undefined) : items.some((item) => nested(item));
}

function compileLeaf(alternatives: readonly unknown[], path: string): LeafTest {
  if (alternatives.length === 0) throw new InvalidPatternError(path, 'empty arrays are not allowed');
  const tests = alternatives.map((alternative, i) => compileAlternative(alternative, `${path}[${i}]`));
  return (values) => tests.some((test) => test(values));
}

/** A test on single values, lifted to "any value at the path passes". */
type ValueTest = (value: unknown) => boolean;
const anyValue =
  (test: ValueTest): LeafTest =>
  (values) =>
    values.some(test);

function compileAlternative(alternative: unknown, path: string): LeafTest {
  if (alternative === null || ['string', 'number', 'boolean'].includes(typeof alternative)) {
    return anyValue((value) => value === alternative);
  }
  if (Array.isArray(alternative)) throw new InvalidPatternError(path, 'arrays cannot be nested inside a leaf');
  if (!isPlainObject(alternative)) throw new InvalidPatternError(path, `unsupported value ${String(alternative)}`);
  const keys = Object.keys(alternative);
  if (keys.length !== 1) {
    throw new InvalidPatternError(path, `a content filter has exactly one operator, got ${keys.length} (${keys.join(', ')})`);
  }
  const operator = keys[0] as string;
  const operand = alternative[operator] as Json;
  const here = `${path}.${operator}`;
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidPatternError(here, 'exists takes true or false');
      return operand ? (values) => values.length > 0 : (values) => values.length === 0;
    case 'prefix':
      return anyValue(stringTest(operand, here, (value, p) => value.startsWith(p)));
    case 'suffix':
      return anyValue(stringTest(operand, here, (value, s) => value.endsWith(s)));
    case 'equals-ignore-case':
      return anyValue(ignoreCaseTest(operand, here));
    case 'numeric':
      return anyValue(numericTest(operand, here));
    case 'anything-but':
      return anyValue(anythingButTest(operand, here));
    default:
      throw new UnsupportedPatternError(here, operator);
  }
}

/** prefix/suffix take a string or `{ "equals-ignore-case": string }`. */
function stringTest(operand: Json, path: string, test: (value: string, operand: string) => boolean): ValueTest {
  if (typeof operand === 'string') return (value) => typeof value === 'string' && test(value, operand);
  const keys = isPlainObject(operand) ? Object.keys(operand) : [];
  if (!isPlainObject(operand) || keys.length !== 1) throw new InvalidPatternError(path, 'takes a string or { "equals-ignore-case": string }');
  const inner = keys[0] as string;
  // e.g. { prefix: { wildcard: ... } } is not something we implement: say so by name.
  if (inner !== 'equals-ignore-case') throw new UnsupportedPatternError(`${path}.${inner}`, inner);
  const folded = operand[inner];
  if (typeof folded !== 'string') throw new InvalidPatternError(`${path}.${inner}`, 'takes a string');
  const lower = folded.toLowerCase();
  return (value) => typeof value === 'string' && test(value.toLowerCase(), lower);
}

function ignoreCaseTest(operand: Json, path: string): ValueTest {
  if (typeof operand !== 'string') throw new InvalidPatternError(path, 'takes a string');
  const lower = operand.toLowerCase();
  return (value) => typeof value === 'string' && value.toLowerCase() === lower;
}

const LOWER_BOUNDS = new Set(['>', '>=']);
const UPPER_BOUNDS = new Set(['<', '<=']);

/** `[op, n]` or `[lower-op, n, upper-op, m]`; `=` only alone. Only JSON numbers match. */
function numericTest(operand: Json, path: string): ValueTest {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new InvalidPatternError(path, 'takes [operator, number] or [lower operator, number, upper operator, number]');
  }
  const comparisons: ((n: number) => boolean)[] = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    if (typeof bound !== 'number' || !Number.isFinite(bound)) throw new InvalidPatternError(`${path}[${i + 1}]`, 'bounds must be numbers');
    comparisons.push(comparison(op, bound, `${path}[${i}]`));
  }
  if (operand.length === 4) {
    const [lowerOp, lower, upperOp, upper] = operand as [string, number, string, number];
    if (!LOWER_BOUNDS.has(lowerOp) || !UPPER_BOUNDS.has(upperOp)) {
      throw new InvalidPatternError(path, 'a range is a lower bound (> or >=) followed by an upper bound (< or <=)');
    }
    if (!(lower < upper)) throw new InvalidPatternError(path, 'the lower bound must be less than the upper bound');
  }
  return (value) => typeof value === 'number' && comparisons.every((compare) => compare(value));
}

function comparison(op: unknown, bound: number, path: string): (n: number) => boolean {
  switch (op) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    case '>=':
      return (n) => n >= bound;
    default:
      throw new InvalidPatternError(path, `unknown numeric operator ${JSON.stringify(op)} (use =, <, <=, >, >=)`);
  }
}

/**
 * anything-but: a value, a list of values (strings or numbers), or a `prefix` / `suffix` /
 * `equals-ignore-case` filter. It needs the field to be present, like AWS.
 */
function anythingButTest(operand: Json, path: string): ValueTest {
  if (typeof operand === 'string' || typeof operand === 'number') return (value) => value !== operand;
  if (Array.isArray(operand)) {
    if (operand.length === 0) throw new InvalidPatternError(path, 'the list must not be empty');
    if (!operand.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new InvalidPatternError(path, 'the list holds only strings or numbers');
    }
    const excluded = new Set<unknown>(operand);
    return (value) => !excluded.has(value);
  }
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const inner = keys[0];
    if (keys.length !== 1 || inner === undefined) throw new InvalidPatternError(path, 'takes exactly one nested operator');
    const innerOperand = operand[inner] as Json;
    const here = `${path}.${inner}`;
    switch (inner) {
      case 'prefix':
      case 'suffix': {
        const test = stringTest(innerOperand, here, inner === 'prefix' ? (v, p) => v.startsWith(p) : (v, s) => v.endsWith(s));
        return (value) => !test(value);
      }
      case 'equals-ignore-case': {
        const list = Array.isArray(innerOperand) ? innerOperand : [innerOperand];
        const tests = list.map((item, i) => ignoreCaseTest(item, Array.isArray(innerOperand) ? `${here}[${i}]` : here));
        return (value) => !tests.some((test) => test(value));
      }
      default:
        throw new UnsupportedPatternError(here, inner);
    }
  }
  throw new InvalidPatternError(path, 'takes a string, a number, a list of them, or a prefix/suffix/equals-ignore-case filter');
}
