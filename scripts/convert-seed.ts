/**
 * One-off converter: published indicator frameworks and real target tables (../shared/data,
 * beside the repository) → the default provincial library in seed/ (sectors, indicators,
 * "3+X" templates). The seed files are committed and are what the project uses; run this
 * again only when the sources or the rules below change:
 *
 *   npx tsx scripts/convert-seed.ts            # writes seed/*.json
 *   npx tsx scripts/convert-seed.ts --check    # fails if seed/*.json differ from a fresh conversion
 *
 * Every choice that is not a plain transcription (a sector for a table, an operator the
 * table left out, a cleaned name, a dropped row) is made in one of the tables of
 * scripts/convert-seed/ (vocabulary.ts, tables.ts) and recorded in the entry's `source.note`.
 * A source row that no rule covers stops the conversion, so a new source cannot slip in
 * unexamined.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowsFromJson } from '../services/indicators/domain/import-rows.ts';
import { templates, withCodes } from './convert-seed/codes.ts';
import { fromJournal, fromScoringTable, type JournalFramework, type ScoringFramework } from './convert-seed/frameworks.ts';
import type { Draft } from './convert-seed/shapes.ts';
import { fromTable, type TargetTable } from './convert-seed/tables.ts';
import { SECTORS } from './convert-seed/vocabulary.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(repoRoot, '..', 'shared', 'data');
const seedDir = join(repoRoot, 'seed');

export function convert(commonFile: { frameworks: ({ id: string } & Record<string, unknown>)[] }, tables: TargetTable[]) {
  const journal = commonFile.frameworks.find((f) => f.id === 'common-indicator-library-example-journal') as unknown as JournalFramework | undefined;
  const scoring = commonFile.frameworks.find((f) => f.id === 'scoring-table-fsou-167082') as unknown as ScoringFramework | undefined;
  if (!journal || !scoring) throw new Error('common-indicators.json: expected the journal library and the scoring table');
  // The 2013-style framework (common-framework-2013-style-daumloan) holds only its 投入
  // part (立项, 资金落实): evaluation items about inputs, not target indicators. Not used.

  const common = [...fromScoringTable(scoring), ...fromJournal(journal)];
  const used = new Set<string>();
  const dropped: string[] = [];
  const individual: Draft[] = [];
  for (const table of tables) {
    const result = fromTable(table, used);
    individual.push(...result.drafts);
    dropped.push(...result.dropped);
  }
  const indicators = withCodes(common, individual);
  const frameworkSources = [scoring, journal].map((f) => ({ url: f.source_url, title: f.title ?? '项目绩效评价指标表' }));
  return {
    sectors: SECTORS.map(({ code, label }) => ({ code, label })),
    indicators,
    templates: templates(indicators, tables, frameworkSources),
    dropped,
  };
}

function main(): void {
  const check = process.argv.includes('--check');
  const commonFile = JSON.parse(readFileSync(join(dataDir, 'common-indicators.json'), 'utf8'));
  const tables = JSON.parse(readFileSync(join(dataDir, 'real-target-tables.json'), 'utf8')) as TargetTable[];
  const result = convert(commonFile, tables);

  // Every entry must import as it is (the seed CLI sends it without `source`).
  const check_ = rowsFromJson(result.indicators.map(({ source: _s, ...draft }) => draft));
  if (check_.invalid.length) throw new Error(`seed rows fail the import contract:\n${JSON.stringify(check_.invalid, null, 2)}`);

  const files: Record<string, unknown> = {
    'sectors.json': result.sectors,
    'indicators.json': result.indicators,
    'templates.json': result.templates,
  };
  mkdirSync(seedDir, { recursive: true });
  let stale = false;
  for (const [file, content] of Object.entries(files)) {
    const text = `${JSON.stringify(content, null, 2)}\n`;
    const path = join(seedDir, file);
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        /* missing counts as stale */
      }
      if (current !== text) {
        stale = true;
        console.error(`seed/${file} differs from a fresh conversion`);
      }
    } else writeFileSync(path, text, 'utf8');
  }
  const common = result.indicators.filter((i) => i.scope === 'common').length;
  console.log(
    `${check ? 'checked' : 'wrote'} seed/: ${result.sectors.length} sectors, ${result.indicators.length} indicators (${common} common, ${result.indicators.length - common} individual), ${result.templates.length} templates`,
  );
  console.log(`dropped ${result.dropped.length} source rows:\n  ${result.dropped.join('\n  ')}`);
  if (stale) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
