import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEVEL1 } from '../../events/vocabulary.ts';
import { rowsFromJson } from '../../services/indicators/domain/import-rows.ts';
import { SectorCodeSchema } from '../../services/indicators/domain/draft-schema.ts';

const seedDir = join(import.meta.dirname, '..', '..', 'seed');
const load = <T>(file: string): T => JSON.parse(readFileSync(join(seedDir, file), 'utf8')) as T;

interface SeedIndicator {
  code: string;
  name: string;
  level1: string;
  scope: string;
  sector?: string;
  source: { url: string; title: string; note?: string };
  [field: string]: unknown;
}

const sectors = load<{ code: string; label: string }[]>('sectors.json');
const indicators = load<SeedIndicator[]>('indicators.json');
const templates = load<{ key: string; sector: string; spendingType: string; fiscalYear: number; indicators: { code: string }[] }[]>('templates.json');
const byCode = new Map(indicators.map((i) => [i.code, i]));

describe('seed data', () => {
  it('passes the import contract for every indicator', () => {
    const result = rowsFromJson(indicators.map(({ source: _s, ...draft }) => draft));
    expect(result.invalid).toEqual([]);
    expect(result.valid).toHaveLength(indicators.length);
  });

  it('gives every indicator a unique code', () => {
    expect(new Set(indicators.map((i) => i.code)).size).toBe(indicators.length);
  });

  it('cites a source address and title for every indicator', () => {
    expect(indicators.filter((i) => !/^https?:\/\//.test(i.source?.url ?? '') || !i.source.title)).toEqual([]);
  });

  it('lists the required sectors with valid, unique codes', () => {
    const codes = sectors.map((s) => s.code);
    expect(codes).toEqual(expect.arrayContaining(['education', 'health', 'agriculture', 'rural_revitalization', 'transport', 'social_security', 'environment', 'science', 'culture', 'general_administration', 'urban_management']));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.filter((c) => !SectorCodeSchema.safeParse(c).success)).toEqual([]);
  });

  it('files every individual indicator under a listed sector', () => {
    const known = new Set(sectors.map((s) => s.code));
    expect(indicators.filter((i) => i.scope === 'individual' && !known.has(i.sector ?? ''))).toEqual([]);
  });

  it('has common indicators in all four level-1 categories', () => {
    expect(new Set(indicators.filter((i) => i.scope === 'common').map((i) => i.level1))).toEqual(new Set(LEVEL1));
  });

  it('references only existing codes from templates', () => {
    const missing = templates.flatMap((t) => t.indicators.filter((ref) => !byCode.has(ref.code)).map((ref) => `${t.key}: ${ref.code}`));
    expect(missing).toEqual([]);
  });

  it('gives every template common indicators of all four level-1 categories and individual ones of its sector', () => {
    for (const template of templates) {
      const refs = template.indicators.map((ref) => byCode.get(ref.code) as SeedIndicator);
      expect(new Set(refs.filter((i) => i.scope === 'common').map((i) => i.level1)), template.key).toEqual(new Set(LEVEL1));
      expect(refs.filter((i) => i.scope === 'individual' && i.sector === template.sector).length, template.key).toBeGreaterThan(0);
      expect(refs.filter((i) => i.scope === 'individual' && i.sector !== template.sector), template.key).toEqual([]);
    }
  });

  it('has one template per sector that has individual indicators', () => {
    const withIndividuals = new Set(indicators.filter((i) => i.scope === 'individual').map((i) => i.sector));
    expect(new Set(templates.map((t) => t.sector))).toEqual(withIndividuals);
    expect(new Set(templates.map((t) => t.key)).size).toBe(templates.length);
  });
});
