/** The reliability report: what makes a row fail, and what REPORT.md shows. */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../reliability/report-teardown.ts';
import { percentile, violations, type ReliabilityRow } from '../reliability/report.ts';

const head = { commit: 'a'.repeat(40), productCodeClean: true };
const clean: ReliabilityRow = { class: 'fault', name: 'relay killed mid-batch', operations: 200, faultsInjected: 3, eventsCommitted: 200, eventsDelivered: 200, lost: 0, duplicates: 0 };

describe('reliability report', () => {
  it('finds no violation in a row whose required numbers are zero or not measured', () => {
    expect(violations(clean)).toEqual([]);
    expect(violations({ class: 'token', name: 'alg none', operations: 1, faultsInjected: 1 })).toEqual([]);
  });

  it('names every required number that is not zero', () => {
    expect(violations({ ...clean, lost: 1, serverErrors: 2, deadLetterMismatch: 1, notProblemJson: 3 })).toEqual(['lost=1', '5xx not by design=2', 'notProblemJson=3', 'deadLetterMismatch=1']);
  });

  it('excuses 503s only where the row says they are the designed answer, and counts every other 5xx', () => {
    // 12 answers of 500 or above, 10 of them 503s a restarting data store answers by design: 2 violate.
    expect(violations({ ...clean, serverErrors: 12, unavailableByDesign: 10 })).toEqual(['5xx not by design=2']);
    expect(violations({ ...clean, serverErrors: 10, unavailableByDesign: 10 })).toEqual([]);
    // Without the row saying so, a 503 counts like any 5xx.
    expect(violations({ ...clean, serverErrors: 10 })).toEqual(['5xx not by design=10']);
  });

  it('shows all 5xx and the 503s by design in columns of their own, and records the commit measured', () => {
    const text = renderReport([{ ...clean, serverErrors: 12, unavailableByDesign: 12, notProblemJson: 0 }], 'now', head);
    expect(text).toContain('| 5xx (503 included) | of which 503 by design |');
    expect(text).toContain('| relay killed mid-batch | 200 | 3 | 200 | 200 | 0 | 0 | 12 | 12 | – | – | 0 |');
    expect(text).toContain(`Measured at commit ${'a'.repeat(40)} (product code clean).`);
  });

  it('says pass only when every row is clean, and marks classes not exercised', () => {
    const text = renderReport([clean], '2026-11-28T00:00:00.000Z', head);
    expect(text).toContain('**Result: pass**');
    expect(text).toContain('| relay killed mid-batch | 200 | 3 | 200 | 200 | 0 | 0 | – | – |');
    expect(text).toMatch(/## load\n\n_not exercised in this run_/);
    expect(renderReport([{ ...clean, duplicates: 4 }], 'now', head)).toContain('**Result: FAIL** — relay killed mid-batch (duplicates=4)');
  });

  it('prints latency per route, busiest first', () => {
    const text = renderReport([{ class: 'load', name: '200 users', operations: 3, faultsInjected: 0, latency: { 'GET /a': { count: 1, p50: 5, p99: 5 }, 'POST /b': { count: 2, p50: 7, p99: 9 } } }], 'now', head);
    expect(text.indexOf('| POST /b | 2 | 7 | 9 |')).toBeLessThan(text.indexOf('| GET /a | 1 | 5 | 5 |'));
  });

  it('computes nearest-rank percentiles', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(ms, 50)).toBe(50);
    expect(percentile(ms, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});
