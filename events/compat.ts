/**
 * Compatibility of an event's JSON Schema with its committed predecessor. A change that
 * removes a field, makes a required field optional, or narrows what a field may hold (fewer
 * types or enum values, tighter bounds, a new pattern or format, closed objects) breaks
 * consumers: it needs a new event version instead. Additions are fine.
 */
type Schema = Record<string, unknown>;

const asArray = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function tighterNumber(before: unknown, after: unknown, higherIsTighter: boolean): boolean {
  if (after === undefined) return false;
  if (before === undefined) return true;
  return higherIsTighter ? (after as number) > (before as number) : (after as number) < (before as number);
}

export function breakingChanges(before: unknown, after: unknown, path = '$'): string[] {
  if (!isObject(before) || !isObject(after)) return [];
  const problems: string[] = [];

  const beforeTypes = asArray(before.type);
  const afterTypes = asArray(after.type);
  if (afterTypes.length && beforeTypes.some((t) => !afterTypes.includes(t) && !(t === 'integer' && afterTypes.includes('number')))) {
    problems.push(`${path}: type narrowed from ${JSON.stringify(before.type)} to ${JSON.stringify(after.type)}`);
  }
  if (after.enum !== undefined) {
    const allowed = asArray(after.enum);
    const lost = before.enum === undefined ? ['(any value)'] : asArray(before.enum).filter((v) => !allowed.includes(v));
    if (lost.length) problems.push(`${path}: enum no longer allows ${lost.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if ('const' in after && (!('const' in before) || before.const !== after.const)) problems.push(`${path}: value fixed to ${JSON.stringify(after.const)}`);
  for (const [key, higher] of [['minLength', true], ['maxLength', false], ['minimum', true], ['maximum', false], ['exclusiveMinimum', true], ['exclusiveMaximum', false], ['minItems', true], ['maxItems', false]] as const) {
    if (tighterNumber(before[key], after[key], higher)) problems.push(`${path}: ${key} tightened from ${String(before[key] ?? 'none')} to ${String(after[key])}`);
  }
  for (const key of ['pattern', 'format', 'multipleOf'] as const) {
    if (after[key] !== undefined && after[key] !== before[key]) problems.push(`${path}: ${key} changed to ${JSON.stringify(after[key])}`);
  }
  if (after.additionalProperties === false && before.additionalProperties !== false) problems.push(`${path}: object closed to additional properties`);

  const beforeProps = isObject(before.properties) ? before.properties : {};
  const afterProps = isObject(after.properties) ? after.properties : {};
  const afterRequired = asArray(after.required);
  for (const [name, schema] of Object.entries(beforeProps)) {
    const child = `${path}.${name}`;
    if (!(name in afterProps)) {
      problems.push(`${child}: field removed`);
      continue;
    }
    if (asArray(before.required).includes(name) && !afterRequired.includes(name)) problems.push(`${child}: required field became optional`);
    problems.push(...breakingChanges(schema, afterProps[name], child));
  }
  if (before.items !== undefined) problems.push(...breakingChanges(before.items, after.items, `${path}[]`));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const b = asArray(before[key]);
    const a = asArray(after[key]);
    if (b.length && a.length < b.length) problems.push(`${path}: ${key} lost alternatives`);
    else b.forEach((option, i) => problems.push(...breakingChanges(option, a[i], `${path}<${key}${i}>`)));
  }
  return problems;
}
