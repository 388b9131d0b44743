import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../shared/event-pattern.ts';
import { OUTBOX_STREAM_FILTER } from '../../shared/outbox.ts';
import { manifests } from '../../services/registry.ts';
import { compilePattern, InvalidPatternError, UnsupportedPatternError } from '../../infra/local/eventbridge/pattern.ts';

const matches = (pattern: EventPattern, event: unknown) => compilePattern(pattern).matches(event);

const envelope = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'IndicatorPublished',
  source: 'jixiao.indicators',
  account: '000000000000',
  time: '2026-11-28T08:00:00Z',
  region: 'cn-northwest-1',
  resources: ['arn:aws-cn:dynamodb:cn-northwest-1:000000000000:table/a', 'arn:aws-cn:dynamodb:cn-northwest-1:000000000000:table/b'],
  detail: {
    meta: { eventId: 'e-1', version: 1, region: '360000', subject: { type: 'indicator', id: 'ind_1' }, causationId: null },
    data: { score: 87.5, grade: 'Good', tags: ['output', 'benefit'], ok: true, lines: [{ kind: 'x', amount: 5 }, { kind: 'y', amount: 50 }] },
  },
};

/** A DynamoDB stream record as Lambda's event source mapping sees it (NEW_IMAGE view). */
function streamRecord(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', kind: string) {
  const image = { pk: { S: 'OUTBOX#e-1' }, sk: { S: 'OUTBOX' }, kind: { S: kind }, eventId: { S: 'e-1' }, detail: { S: '{}' }, ttl: { N: '1765000000' } };
  return {
    eventID: 'c4ca4238a0b923820dcc509a6f75849b',
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'cn-northwest-1',
    dynamodb: {
      ApproximateCreationDateTime: 1764316800,
      Keys: { pk: image.pk, sk: image.sk },
      ...(eventName === 'REMOVE' ? {} : { NewImage: image }),
      SequenceNumber: '111',
      SizeBytes: 120,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws-cn:dynamodb:cn-northwest-1:000000000000:table/indicators/stream/2026-11-28T00:00:00.000',
  };
}

describe('event pattern matching', () => {
  it('matches exact strings, numbers and booleans', () => {
    expect(matches({ source: ['jixiao.indicators'] }, envelope)).toBe(true);
    expect(matches({ detail: { data: { score: [87.5], ok: [true] } } }, envelope)).toBe(true);
    expect(matches({ source: ['jixiao.monitoring'] }, envelope)).toBe(false);
  });

  it('compares exact values type-strictly (the string "1" is not the number 1)', () => {
    expect(matches({ detail: { meta: { version: ['1'] } } }, envelope)).toBe(false);
    expect(matches({ detail: { meta: { version: [1] } } }, envelope)).toBe(true);
  });

  it('treats a leaf array as alternatives', () => {
    expect(matches({ 'detail-type': ['TargetApproved', 'IndicatorPublished'] }, envelope)).toBe(true);
  });

  it('requires every field of an object pattern to match', () => {
    expect(matches({ source: ['jixiao.indicators'], 'detail-type': ['IndicatorPublished'] }, envelope)).toBe(true);
    expect(matches({ source: ['jixiao.indicators'], 'detail-type': ['TargetApproved'] }, envelope)).toBe(false);
  });

  it('descends into nested objects', () => {
    expect(matches({ detail: { meta: { subject: { type: ['indicator'] } } } }, envelope)).toBe(true);
    expect(matches({ detail: { meta: { subject: { type: ['project'] } } } }, envelope)).toBe(false);
  });

  it('matches an array in the event when any element matches', () => {
    expect(matches({ detail: { data: { tags: ['benefit'] } } }, envelope)).toBe(true);
    expect(matches({ resources: [{ suffix: '/b' }] }, envelope)).toBe(true);
    expect(matches({ detail: { data: { tags: ['cost'] } } }, envelope)).toBe(false);
  });

  it('matches a nested pattern against an array of objects only if one element satisfies all of it', () => {
    expect(matches({ detail: { data: { lines: { kind: ['y'], amount: [{ numeric: ['>', 10] }] } } } }, envelope)).toBe(true);
    expect(matches({ detail: { data: { lines: { kind: ['x'], amount: [{ numeric: ['>', 10] }] } } } }, envelope)).toBe(false);
  });

  it('matches null only against a null value, not a missing field', () => {
    expect(matches({ detail: { meta: { causationId: [null] } } }, envelope)).toBe(true);
    expect(matches({ detail: { meta: { correlationId: [null] } } }, envelope)).toBe(false);
  });

  it('never treats an object in the event as a leaf value', () => {
    expect(matches({ detail: { meta: [{ exists: true }] } }, envelope)).toBe(false);
  });

  it('matches prefixes, also ignoring case', () => {
    expect(matches({ source: [{ prefix: 'jixiao.' }] }, envelope)).toBe(true);
    expect(matches({ source: [{ prefix: 'JIXIAO.' }] }, envelope)).toBe(false);
    expect(matches({ source: [{ prefix: { 'equals-ignore-case': 'JIXIAO.' } }] } as unknown as EventPattern, envelope)).toBe(true);
  });

  it('matches suffixes', () => {
    expect(matches({ 'detail-type': [{ suffix: 'Published' }] }, envelope)).toBe(true);
    expect(matches({ 'detail-type': [{ suffix: 'Retired' }] }, envelope)).toBe(false);
  });

  it('matches equals-ignore-case', () => {
    expect(matches({ detail: { data: { grade: [{ 'equals-ignore-case': 'GOOD' }] } } }, envelope)).toBe(true);
  });

  it('matches anything-but a value, a list or a prefix', () => {
    expect(matches({ source: [{ 'anything-but': 'jixiao.monitoring' }] }, envelope)).toBe(true);
    expect(matches({ source: [{ 'anything-but': ['jixiao.monitoring', 'jixiao.indicators'] }] }, envelope)).toBe(false);
    expect(matches({ source: [{ 'anything-but': { prefix: 'jixiao.' } }] }, envelope)).toBe(false);
    expect(matches({ detail: { data: { score: [{ 'anything-but': [0, 100] }] } } }, envelope)).toBe(true);
  });

  it('does not match anything-but against a missing field', () => {
    expect(matches({ detail: { data: { missing: [{ 'anything-but': 'x' }] } } }, envelope)).toBe(false);
  });

  it('matches exists true and false', () => {
    expect(matches({ detail: { meta: { eventId: [{ exists: true }] } } }, envelope)).toBe(true);
    expect(matches({ detail: { meta: { eventId: [{ exists: false }] } } }, envelope)).toBe(false);
    expect(matches({ detail: { meta: { correlationId: [{ exists: false }] } } }, envelope)).toBe(true);
  });

  it('matches exists false when a parent of the field is missing too', () => {
    expect(matches({ detail: { audit: { by: [{ exists: false }] } } }, envelope)).toBe(true);
  });

  it('matches numeric ranges and equality against numbers only', () => {
    expect(matches({ detail: { data: { score: [{ numeric: ['>', 80, '<=', 90] }] } } }, envelope)).toBe(true);
    expect(matches({ detail: { data: { score: [{ numeric: ['>=', 90] }] } } }, envelope)).toBe(false);
    expect(matches({ detail: { data: { score: [{ numeric: ['=', 87.5] }] } } }, envelope)).toBe(true);
    expect(matches({ detail: { meta: { region: [{ numeric: ['>', 0] }] } } }, envelope)).toBe(false);
  });

  it('matches the outbox stream filter against an inserted outbox stream record', () => {
    expect(matches(OUTBOX_STREAM_FILTER, streamRecord('INSERT', 'outbox'))).toBe(true);
  });

  it('rejects stream records the outbox filter excludes: updates, removals, other items', () => {
    expect(matches(OUTBOX_STREAM_FILTER, streamRecord('MODIFY', 'outbox'))).toBe(false);
    expect(matches(OUTBOX_STREAM_FILTER, streamRecord('REMOVE', 'outbox'))).toBe(false);
    expect(matches(OUTBOX_STREAM_FILTER, streamRecord('INSERT', 'indicator'))).toBe(false);
  });

  it('never matches non-object events', () => {
    expect(matches({ source: [{ exists: true }] }, 'text')).toBe(false);
    expect(matches({ source: ['x'] }, null)).toBe(false);
  });
});

describe('event pattern validation', () => {
  const compile = (pattern: unknown) => () => compilePattern(pattern as EventPattern);

  it('compiles every subscription pattern in the service manifests', () => {
    const patterns = manifests.flatMap((m) => m.functions.flatMap((f) => (f.subscriptions ?? []).map((s) => s.pattern)));
    for (const pattern of patterns) expect(() => compilePattern(pattern)).not.toThrow();
  });

  it('throws UnsupportedPatternError naming the path and operator for wildcard', () => {
    const error = (() => {
      try {
        compilePattern({ source: [{ wildcard: 'jixiao.*' }] } as unknown as EventPattern);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnsupportedPatternError);
    expect(error).toMatchObject({ operator: 'wildcard', path: 'source[0].wildcard' });
    expect((error as Error).message).toContain('source[0].wildcard');
  });

  it('throws UnsupportedPatternError for cidr, $or and anything-but wildcard', () => {
    expect(compile({ detail: { ip: [{ cidr: '10.0.0.0/24' }] } })).toThrow(UnsupportedPatternError);
    expect(compile({ $or: [{ source: ['a'] }, { source: ['b'] }] })).toThrow(UnsupportedPatternError);
    expect(compile({ source: [{ 'anything-but': { wildcard: 'a*' } }] })).toThrow(UnsupportedPatternError);
  });

  it('throws UnsupportedPatternError for operators EventBridge does not have', () => {
    expect(compile({ source: [{ startsWith: 'jixiao.' }] })).toThrow(/"startsWith" is not an EventBridge pattern operator/);
  });

  it('throws InvalidPatternError for malformed patterns', () => {
    expect(compile({ source: [] })).toThrow(InvalidPatternError);
    expect(compile({ source: 'jixiao.indicators' })).toThrow(InvalidPatternError);
    expect(compile({ source: [['nested']] })).toThrow(InvalidPatternError);
    expect(compile({ source: [{ prefix: 'a', suffix: 'b' }] })).toThrow(InvalidPatternError);
    expect(compile({})).toThrow(InvalidPatternError);
    expect(compile({ detail: { n: [{ exists: 'yes' }] } })).toThrow(InvalidPatternError);
  });

  it('throws InvalidPatternError for numeric filters AWS would refuse', () => {
    expect(compile({ n: [{ numeric: ['<', 5, '>', 0] }] })).toThrow(/lower bound/);
    expect(compile({ n: [{ numeric: ['>', 5, '<', 1] }] })).toThrow(/less than/);
    expect(compile({ n: [{ numeric: ['~', 5] }] })).toThrow(/unknown numeric operator/);
    expect(compile({ n: [{ numeric: ['>', '5'] }] })).toThrow(/numbers/);
  });
});
