/**
 * The seven real published self-evaluation tables (test/fixtures/real-self-evaluations.json; its
 * README gives the sources and the field conventions), typed, for the specs that read them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RealTableRow {
  level1: string;
  level2: string;
  name: string;
  targetText: string | null;
  actualText: string | null;
  /** Null where the form has no 分值 column (施甸); weightInferred then holds a NOT published weight. */
  weight: number | null;
  weightInferred?: number;
  publishedScore: number | null;
  deviationNote: string | null;
}

export interface RealTable {
  id: string;
  sourceUrl: string | null;
  sourceCitation?: string;
  title: string;
  region: string;
  fiscalYear: number | null;
  projectName: string;
  budget: {
    /** 万元 (converted from the printed unit); null where the cell is blank. */
    initialWan: number | null;
    annualWan: number | null;
    executedWan: number | null;
    asPrinted: { unit: string; initial: string | null; annual: string | null; executed: string | null };
    weight: number;
    publishedScore: number | null;
  };
  rows: RealTableRow[];
  publishedTotal: number;
  publishedGrade: string | null;
}

export const realTables = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'real-self-evaluations.json'), 'utf8')) as RealTable[];

/** One table by its id; throws naming the id when there is none. */
export function realTable(id: string): RealTable {
  const found = realTables.find((t) => t.id === id);
  if (!found) throw new Error(`no fixture ${id}`);
  return found;
}
