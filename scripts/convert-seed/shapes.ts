/**
 * The shapes of the seed files scripts/convert-seed.ts writes (seed/README.md describes them).
 */
import type { Level1, Level2, Operator } from '../../events/vocabulary.ts';

export interface SeedSource {
  url: string;
  title: string;
  note?: string;
}

export interface SeedSector {
  code: string;
  label: string;
}

export interface SeedIndicator {
  code: string;
  name: string;
  level1: Level1;
  level2: Level2;
  operator: Operator;
  unit?: string;
  basis?: 'plan';
  explanation?: string;
  scope: 'common' | 'individual';
  sector?: string;
  spendingTypes: ['project'];
  source: SeedSource;
}

export interface SeedTemplate {
  key: string;
  name: string;
  spendingType: 'project';
  sector: string;
  fiscalYear: number;
  description: string;
  indicators: { code: string }[];
  sources: { url: string; title: string }[];
}

/** An indicator before it has its code. */
export type Draft = Omit<SeedIndicator, 'code'>;
