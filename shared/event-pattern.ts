/**
 * EventBridge event pattern types (the subset Jixiao uses and the local runtime implements).
 * The same syntax serves Lambda event-source filters (the outbox stream filter).
 *
 * Leaf arrays hold alternatives: plain values match exactly; objects are content filters.
 */
export type ContentFilter =
  | { prefix: string }
  | { suffix: string }
  | { 'anything-but': string | number | readonly (string | number)[] | { prefix: string } }
  | { exists: boolean }
  | { numeric: readonly (string | number)[] }
  | { 'equals-ignore-case': string };

export type PatternLeaf = readonly (string | number | boolean | null | ContentFilter)[];

export interface EventPattern {
  readonly [field: string]: PatternLeaf | EventPattern;
}
