/**
 * Global setup of `npm run test:reliability`: clears the recorded rows before the run and, at
 * the end, writes test/reliability/REPORT.md from them. The run fails (the teardown throws) if
 * any required-zero number is not zero, or if a class was not exercised at all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAULT_EVENTS_TARGET, REQUIRED_ZERO, RESULTS_DIR, violations, type ReliabilityClass, type ReliabilityRow } from './report.ts';

const REPORT = join(RESULTS_DIR, '..', 'REPORT.md');
const CLASSES: readonly ReliabilityClass[] = ['fault', 'load', 'input', 'authorization', 'token'];

export function readRows(): (ReliabilityRow & { recordedAt: string })[] {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(RESULTS_DIR, f), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)))
    .sort((a, b) => CLASSES.indexOf(a.class) - CLASSES.indexOf(b.class) || a.name.localeCompare(b.name));
}

const cell = (v: number | undefined) => (v === undefined ? '–' : String(v));

/** What the product code is: every path but tests, docs and the report itself (the freshness test reads the same list). */
export const PRODUCT_PATHS = ['services', 'shared', 'infra', 'events', 'scripts', 'package.json', 'package-lock.json'] as const;

/** The commit the run measured, and whether product code had uncommitted changes. */
export interface ReportHead {
  readonly commit: string;
  readonly productCodeClean: boolean;
}

function git(args: readonly string[]): string {
  return execFileSync('git', args, { cwd: join(RESULTS_DIR, '..', '..', '..'), encoding: 'utf8' }).trim();
}

export function currentHead(): ReportHead {
  return { commit: git(['rev-parse', 'HEAD']), productCodeClean: git(['status', '--porcelain', '--', ...PRODUCT_PATHS]) === '' };
}

/** The line REPORT.md records its head on (the freshness test parses it). */
export const headLine = (head: ReportHead) => `Measured at commit ${head.commit} (product code ${head.productCodeClean ? 'clean' : 'WITH UNCOMMITTED CHANGES'}).`;

export function renderReport(rows: readonly (ReliabilityRow & { recordedAt?: string })[], generatedAt: string, head: ReportHead): string {
  const out: string[] = [
    '# Reliability report',
    '',
    `Written by \`npm run test:reliability\` at ${generatedAt} from the numbers the suite measured (test/reliability/).`,
    headLine(head),
    `Must be zero: ${REQUIRED_ZERO.join(', ')}. The run fails if any is not, or if a class below has no rows.`,
    '',
  ];
  const failing = rows.filter((r) => violations(r).length > 0);
  out.push(failing.length === 0 ? `**Result: pass** — ${rows.length} rows, every required zero is zero.` : `**Result: FAIL** — ${failing.map((r) => `${r.name} (${violations(r).join(', ')})`).join('; ')}`, '');
  const faultTotal = faultEventsLine(rows);
  if (faultTotal) out.push(faultTotal, '');
  for (const cls of CLASSES) {
    const ofClass = rows.filter((r) => r.class === cls);
    out.push(`## ${cls}`, '');
    if (ofClass.length === 0) {
      out.push('_not exercised in this run_', '');
      continue;
    }
    out.push('| name | operations | faults injected | events committed | events delivered | lost | duplicates | 5xx (503 included) | of which 503 by design | unexpected writes | leaks | non-problem+json errors | dead-letter mismatch | dead-lettered | redriven | notes |');
    out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of ofClass) {
      out.push(
        `| ${r.name} | ${r.operations} | ${r.faultsInjected} | ${cell(r.eventsCommitted)} | ${cell(r.eventsDelivered)} | ${cell(r.lost)} | ${cell(r.duplicates)} | ${cell(r.serverErrors)} | ${cell(r.unavailableByDesign)} | ${cell(r.unexpectedWrites)} | ${cell(r.leaks)} | ${cell(r.notProblemJson)} | ${cell(r.deadLetterMismatch)} | ${cell(r.deadLettered)} | ${cell(r.redriven)} | ${(r.notes ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`,
      );
    }
    out.push('');
    for (const r of ofClass.filter((x) => x.latency && Object.keys(x.latency).length)) {
      out.push(`### Latency: ${r.name}`, '', '| route | requests | p50 ms | p99 ms |', '|---|---|---|---|');
      for (const [route, s] of Object.entries(r.latency!).sort((a, b) => b[1].count - a[1].count)) out.push(`| ${route} | ${s.count} | ${s.p50} | ${s.p99} |`);
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

/** The fault rows' committed events added up, and whether every one was delivered once (lost and duplicates 0 in every row). */
function faultEventsLine(rows: readonly ReliabilityRow[]): string | undefined {
  const counted = rows.filter((r) => r.class === 'fault' && r.eventsCommitted !== undefined);
  if (counted.length === 0) return undefined;
  const total = (pick: (r: ReliabilityRow) => number | undefined) => counted.reduce((n, r) => n + (pick(r) ?? 0), 0);
  const committed = total((r) => r.eventsCommitted);
  const delivered = total((r) => r.eventsDelivered);
  const lost = total((r) => r.lost);
  const duplicates = total((r) => r.duplicates);
  const once = lost === 0 && duplicates === 0 && delivered === committed;
  return (
    `**Fault rows: ${committed} events committed** (${counted.length} rows, quick and full), ${delivered} delivered, ${lost} lost, ${duplicates} duplicated: ` +
    `${once ? 'every one delivered exactly once' : 'NOT every one delivered exactly once'}; ` +
    `the full run's target of at least ${FAULT_EVENTS_TARGET} ${committed >= FAULT_EVENTS_TARGET ? 'is met' : 'is NOT met'}.`
  );
}

export function setup(): () => void {
  rmSync(RESULTS_DIR, { recursive: true, force: true });
  return () => {
    const rows = readRows();
    writeFileSync(REPORT, renderReport(rows, new Date().toISOString(), currentHead()));
    const failing = rows.filter((r) => violations(r).length > 0).map((r) => `${r.class}/${r.name}: ${violations(r).join(', ')}`);
    const missing = CLASSES.filter((c) => !rows.some((r) => r.class === c));
    if (failing.length || missing.length) {
      throw new Error(`reliability report (${REPORT}): ${[...failing, ...missing.map((c) => `no ${c} rows recorded`)].join('; ')}`);
    }
  };
}

export default setup;
