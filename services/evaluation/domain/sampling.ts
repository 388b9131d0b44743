/**
 * Finance review (复核) sample: self-evaluations drawn at random, weighted by amount, and
 * reproducible from a seed, so anyone can redraw the same sample and see it was not picked by
 * hand. Weighted sampling without replacement by Efraimidis-Spirakis keys (u^(1/w), largest
 * first) over a seeded PRNG (mulberry32 on a 32-bit hash of the seed). Pure.
 */

/** 32-bit FNV-1a of the seed text. */
function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast, and the same in every JavaScript engine. */
export function seededRandom(seed: string): () => number {
  let a = hashSeed(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Candidate {
  id: string;
  /** The amount that weights the draw, 万元 (larger spending is likelier to be reviewed). */
  weight: number;
}

/**
 * Draws `size` candidates. Candidates are sorted by id first, so the result depends only on
 * the seed and the set, not on the order they were read in. A zero amount is never drawn
 * unless nothing else is left.
 */
export function drawSample(candidates: readonly Candidate[], size: number, seed: string): string[] {
  const random = seededRandom(seed);
  const keyed = [...candidates]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((c) => {
      const u = random();
      // log(u) / w orders like u^(1/w) without underflow for large weights.
      const key = c.weight > 0 ? Math.log(u === 0 ? Number.MIN_VALUE : u) / c.weight : -Infinity;
      return { id: c.id, key };
    });
  keyed.sort((a, b) => b.key - a.key || (a.id < b.id ? -1 : 1));
  return keyed.slice(0, Math.max(0, Math.min(size, keyed.length))).map((k) => k.id);
}

/** A candidate with its risk rank (review-assistant.ts `riskRank`: 0 error findings, 1 warnings only, 2 none). */
export interface RankedCandidate extends Candidate {
  rank: number;
}

/**
 * Draws by risk: every candidate of the riskiest rank before any of the next, and within a
 * rank at random weighted by amount (as `drawSample`, seeded per rank), so a sample of at least
 * as many as there are tables with errors holds all of them.
 */
export function drawByRisk(candidates: readonly RankedCandidate[], size: number, seed: string): string[] {
  const ranks = [...new Set(candidates.map((c) => c.rank))].sort((a, b) => a - b);
  const drawn: string[] = [];
  for (const rank of ranks) {
    const left = size - drawn.length;
    if (left <= 0) break;
    drawn.push(...drawSample(candidates.filter((c) => c.rank === rank), left, `${seed}#risk${rank}`));
  }
  return drawn;
}
