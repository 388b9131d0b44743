import { describe, expect, it } from 'vitest';
import { appendEntries, appendEntry, canonicalJson, entryHash, GENESIS_HASH, trailMacMessage, verifyChain, type ChainEntry } from '../../services/accountability/domain/chain.ts';

const actor = { sub: 'fin-1', role: 'finance' };
const chain = (): ChainEntry[] =>
  appendEntries(undefined, [
    { at: '2027-05-01T00:00:00.000Z', actor, type: 'opened', body: { reason: '连续两年差', object: { id: 'obj_1', fiscalYear: 2027 } } },
    { at: '2027-05-02T00:00:00.000Z', actor, type: 'note', body: { text: '已约谈' } },
    { at: '2027-05-03T00:00:00.000Z', actor: { sub: 'npc-1', role: 'supervisor' }, type: 'evidence', body: { text: '审计报告', attachments: ['a.pdf'] } },
    { at: '2027-05-04T00:00:00.000Z', actor, type: 'decision', body: { outcome: 'budget_cut', reasons: ['整改不力'], amountWan: 120.5 } },
  ]);

describe('canonical JSON', () => {
  it('sorts keys at every level and leaves out whitespace and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it('gives the same text for the same content in any key order', () => {
    expect(canonicalJson({ x: 1, y: '中' })).toBe(canonicalJson({ y: '中', x: 1 }));
  });
});

describe('appendEntry', () => {
  it('starts at seq 1 with 64 zeros as prevHash', () => {
    const first = appendEntry(undefined, { at: '2027-01-01T00:00:00Z', actor, type: 'opened', body: {} });
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.prevHash).toMatch(/^0{64}$/);
  });
  it('links each entry to the hash of the one before and numbers them 1..n', () => {
    const entries = chain();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
  });
  it('hashes the entry without its hash as SHA-256 hex', () => {
    const [first] = chain();
    expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(first!)).toBe(first!.hash);
  });
  it('keeps only sub and role of the actor', () => {
    const e = appendEntry(undefined, { at: '2027-01-01T00:00:00Z', actor: { sub: 'x', role: 'finance', department: 'D' } as never, type: 'note', body: {} });
    expect(e.actor).toEqual({ sub: 'x', role: 'finance' });
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain and reports its length', () => {
    const entries = chain();
    expect(verifyChain(entries)).toMatchObject({ valid: true, length: 4, headHash: entries[3]!.hash });
  });
  it('accepts an empty chain', () => {
    expect(verifyChain([])).toEqual({ valid: true, length: 0 });
  });
  it('finds an altered body at its seq', () => {
    const entries = chain();
    entries[2] = { ...entries[2]!, body: { ...entries[2]!.body, text: '伪造' } };
    expect(verifyChain(entries)).toMatchObject({ valid: false, brokenAt: 3 });
  });
  it('finds an altered nested number in a body', () => {
    const entries = chain();
    entries[3] = { ...entries[3]!, body: { ...entries[3]!.body, amountWan: 12.05 } };
    expect(verifyChain(entries)).toMatchObject({ valid: false, brokenAt: 4 });
  });
  it('finds an altered actor, time or type', () => {
    for (const change of [{ actor: { sub: 'someone-else', role: 'finance' } }, { at: '2027-06-01T00:00:00.000Z' }, { type: 'closed' }]) {
      const entries = chain();
      entries[1] = { ...entries[1]!, ...change };
      expect(verifyChain(entries), JSON.stringify(change)).toMatchObject({ valid: false, brokenAt: 2 });
    }
  });
  it('finds an entry whose content and hash were both rewritten (the next entry no longer links)', () => {
    const entries = chain();
    const forged = { ...entries[1]!, body: { text: '改写' } };
    entries[1] = { ...forged, hash: entryHash(forged) };
    expect(verifyChain(entries)).toMatchObject({ valid: false, brokenAt: 3 });
  });
  it('finds a removed entry in the middle', () => {
    const entries = chain();
    entries.splice(1, 1);
    expect(verifyChain(entries)).toMatchObject({ valid: false, brokenAt: 2 });
  });
  it('finds reordered entries', () => {
    const entries = chain();
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    expect(verifyChain(entries)).toMatchObject({ valid: false, brokenAt: 2 });
  });
  it('finds a gap in seq even when the links were recomputed', () => {
    const entries = chain();
    const renumbered = { ...entries[1]!, seq: 3 };
    entries[1] = { ...renumbered, hash: entryHash(renumbered) };
    expect(verifyChain(entries)).toMatchObject({ valid: false, brokenAt: 2 });
  });
  it('finds entries cut off the end against the head the record keeps', () => {
    const entries = chain();
    const head = { seq: 4, hash: entries[3]!.hash };
    expect(verifyChain(entries.slice(0, 3), head)).toMatchObject({ valid: false, brokenAt: 4 });
    expect(verifyChain(entries, head)).toMatchObject({ valid: true });
  });
  it('finds a head that points to another last entry', () => {
    const entries = chain();
    expect(verifyChain(entries, { seq: 4, hash: 'f'.repeat(64) })).toMatchObject({ valid: false, brokenAt: 4 });
  });
});

describe('verifyChain with evidence from outside the table', () => {
  /** Rewrites entry `seq`'s body and recomputes every link hash after it: what a table writer without the key can do. */
  const rewrittenFrom = (entries: ChainEntry[], seq: number): ChainEntry[] => {
    const out: ChainEntry[] = [];
    let prevHash = GENESIS_HASH;
    for (const e of entries) {
      const unhashed = { seq: e.seq, at: e.at, actor: e.actor, type: e.type, body: e.seq === seq ? { ...e.body, forged: true } : e.body, prevHash };
      const hash = entryHash(unhashed);
      out.push({ ...unhashed, hash });
      prevHash = hash;
    }
    return out;
  };
  const checkpointOf = (entries: ChainEntry[], upTo: number) => ({ seq: upTo, hashes: entries.slice(0, upTo).map((e) => e.hash), at: '2027-05-03T12:00:00.000Z' });

  it('passes a consistent rewrite when no evidence is given: the link hash alone cannot tell', () => {
    expect(verifyChain(rewrittenFrom(chain(), 2))).toMatchObject({ valid: true });
  });
  it('names the first entry whose MAC does not verify', () => {
    const entries = chain();
    expect(verifyChain(entries, undefined, { macValid: [true, true, false, false] })).toMatchObject({ valid: false, brokenAt: 3, reason: expect.stringMatching(/MAC/) });
  });
  it('treats a missing MAC result as not verified', () => {
    expect(verifyChain(chain(), undefined, { macValid: [true, true] })).toMatchObject({ valid: false, brokenAt: 3 });
  });
  it('names the first entry that differs from the checkpoint after a consistent rewrite', () => {
    const original = chain();
    const rewritten = rewrittenFrom(original, 2);
    const head = { seq: 4, hash: rewritten[3]!.hash };
    expect(verifyChain(rewritten, head, { checkpoint: checkpointOf(original, 3) })).toMatchObject({ valid: false, brokenAt: 2, reason: expect.stringMatching(/checkpoint of 2027-05-03T12:00:00.000Z/) });
  });
  it('accepts entries appended after the checkpoint', () => {
    const entries = chain();
    expect(verifyChain(entries, { seq: 4, hash: entries[3]!.hash }, { checkpoint: checkpointOf(entries, 2), macValid: [true, true, true, true] })).toMatchObject({ valid: true, length: 4 });
  });
  it('finds checkpointed entries cut off, even with the head rewritten to match', () => {
    const entries = chain();
    expect(verifyChain(entries.slice(0, 2), { seq: 2, hash: entries[1]!.hash }, { checkpoint: checkpointOf(entries, 3) })).toMatchObject({ valid: false, brokenAt: 3 });
  });
  it('MACs the record and the link hash, so an entry moved to another record does not verify there', () => {
    const [first] = chain();
    expect(trailMacMessage('CASE#case_a', first!)).not.toBe(trailMacMessage('CASE#case_b', first!));
    expect(trailMacMessage('CASE#case_a', first!)).toContain(first!.hash);
  });
});
