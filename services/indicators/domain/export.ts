/**
 * The library as CSV (`GET /v1/indicators/export`): the import columns plus id, revision,
 * status and region, enumerations as codes, spending types joined with `|`, so an exported
 * file imports back as it is. Text cells a spreadsheet would run as formulas are defused by
 * the writer (shared/pure/csv.ts); the import restores them. Pure.
 */
import { toCsv, type CsvCell } from '../../../shared/pure/csv.ts';
import { EXPORT_COLUMNS } from './import-rows.ts';
import type { Indicator } from './indicator.ts';

export function indicatorsToCsv(indicators: Indicator[]): string {
  const rows = indicators.map((ind) =>
    EXPORT_COLUMNS.map((column): CsvCell => {
      const value = ind[column];
      if (Array.isArray(value)) return value.join('|');
      return value === undefined || value === null ? undefined : (value as string | number);
    }),
  );
  return toCsv([...EXPORT_COLUMNS], rows);
}
