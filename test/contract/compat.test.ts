import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { breakingChanges } from '../../events/compat.ts';

const schema = (s: z.ZodMiniType) => z.toJSONSchema(s, { target: 'draft-2020-12' });
const base = z.object({ id: z.string(), level1: z.enum(['output', 'cost']), score: z.number(), note: z.optional(z.string()), rows: z.array(z.object({ unit: z.string() })) });

describe('event schema compatibility', () => {
  it('accepts an unchanged schema', () => {
    expect(breakingChanges(schema(base), schema(base))).toEqual([]);
  });

  it('accepts a new optional field', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, extra: z.optional(z.string()) })))).toEqual([]);
  });

  it('accepts a widened enum', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, level1: z.enum(['output', 'cost', 'benefit']) })))).toEqual([]);
  });

  it('fails a removed field', () => {
    const { note: _n, ...rest } = base.shape;
    expect(breakingChanges(schema(base), schema(z.object(rest)))).toEqual(['$.note: field removed']);
  });

  it('fails a removed field inside an array item', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, rows: z.array(z.object({})) })))).toEqual(['$.rows[].unit: field removed']);
  });

  it('fails a narrowed enum', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, level1: z.enum(['output']) })))).toEqual(['$.level1: enum no longer allows "cost"']);
  });

  it('fails a narrowed type', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, score: z.number().check(z.int()) })))).not.toEqual([]);
  });

  it('fails a tightened bound', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, id: z.string().check(z.maxLength(5)) })))).toEqual(['$.id: maxLength tightened from none to 5']);
  });

  it('fails a required field made optional', () => {
    expect(breakingChanges(schema(base), schema(z.object({ ...base.shape, id: z.optional(z.string()) })))).toEqual(['$.id: required field became optional']);
  });
});
