/**
 * `npm run audit` (CI runs it after `npm ci`): the production dependencies' known advisories,
 * from `npm audit --omit=dev --json`. Every high or critical advisory fails unless
 * docs/audit-allowlist.json accepts it (for that package, with a reason, who accepted it and a
 * review date; past the date the acceptance no longer counts). Moderate, low and info advisories
 * are counted, not gated. docs/decisions.md (2026-12-07, the dependency audit) has the rules.
 *
 * Exit status: 0 audited, nothing high or critical left; 1 high or critical advisories not
 * accepted; 2 the audit could not be run (a malformed allow-list, npm failing on its own, a
 * report this script cannot read); 3 the audit was NOT performed because the registry refused
 * the advisory endpoint or could not be reached. 3 is never a pass: .ci/run decides what CI does
 * with it (AUDIT_REQUIRED=1 makes it fail).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXIT = { passed: 0, findings: 1, error: 2, notPerformed: 3 } as const;

const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const;
type Severity = (typeof SEVERITIES)[number];
/** The severities that fail the audit. */
const GATED: readonly Severity[] = ['high', 'critical'];

/** One advisory against one package, as npm's report gives it (a `via` entry that is an object). */
export interface Advisory {
  readonly package: string;
  readonly severity: Severity;
  /** The GHSA id when the advisory's URL names one, else npm's numeric source id. */
  readonly id: string;
  readonly source: string;
  readonly title: string;
  readonly url: string;
  /** The vulnerable versions the advisory names. */
  readonly range: string;
  /** Where the package is installed (node_modules/...). */
  readonly nodes: readonly string[];
  /** Chains from a direct dependency down to the package, e.g. `mkdirp > minimist`. */
  readonly paths: readonly string[];
  readonly fix: string;
}

export interface AuditReport {
  readonly advisories: readonly Advisory[];
  /** npm's count of vulnerable packages by severity. */
  readonly counts: Readonly<Record<Severity, number>>;
  readonly dependencies: number | undefined;
}

export type NpmAuditOutcome =
  | { readonly kind: 'report'; readonly report: AuditReport }
  /** The advisory endpoint refused or could not be reached: nothing was audited. */
  | { readonly kind: 'unavailable'; readonly reason: string }
  /** npm failed for another reason, or printed something this script cannot read. */
  | { readonly kind: 'failed'; readonly reason: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** Error codes (old npm's `{ error: { code } }`) that mean the registry, not npm, was the problem. */
const ENDPOINT_CODES = /^(ENOAUDIT|E\d{3}|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ERR_SOCKET_TIMEOUT|FETCH_ERROR)$/;

/** What `npm audit --json` printed on stdout: a report, an unreachable endpoint, or a failure. */
export function parseNpmAuditOutput(stdout: string): NpmAuditOutcome {
  if (stdout.trim() === '') return { kind: 'failed', reason: 'npm audit printed nothing on stdout' };
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return { kind: 'failed', reason: `npm audit printed something that is not JSON: ${stdout.trim().slice(0, 200)}` };
  }
  if (!isObject(json)) return { kind: 'failed', reason: 'npm audit printed JSON that is not an object' };
  if ('vulnerabilities' in json) {
    try {
      return { kind: 'report', report: readReport(json) };
    } catch (error) {
      return { kind: 'failed', reason: (error as Error).message };
    }
  }
  const error = isObject(json.error) ? json.error : undefined;
  const code = text(error?.code);
  // npm 7 to 11: the failed request itself (message, uri, statusCode), then an empty `error`.
  if (!code && (typeof json.message === 'string' || 'statusCode' in json)) {
    const message = text(json.message) || `HTTP ${text(json.statusCode)} from ${text(json.uri)}`;
    const why = 'statusCode' in json ? `the registry refused the advisory endpoint (${message})` : `the advisory endpoint could not be reached (${message})`;
    return { kind: 'unavailable', reason: why };
  }
  // npm's own error: `{ error: { code, summary, detail } }`.
  if (code) {
    const said = [text(error?.summary), text(error?.detail)].filter(Boolean).join(' ');
    if (ENDPOINT_CODES.test(code)) return { kind: 'unavailable', reason: `the advisory endpoint failed (${code}${said ? `: ${said}` : ''})` };
    return { kind: 'failed', reason: `npm audit failed: ${code}${said ? `: ${said}` : ''}` };
  }
  return { kind: 'failed', reason: `npm audit printed JSON with neither a report nor an error: ${stdout.trim().slice(0, 200)}` };
}

function severity(value: unknown, where: string): Severity {
  if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new Error(`npm audit report: ${where} has severity ${JSON.stringify(value)}, not one of ${SEVERITIES.join(', ')}`);
}

/** npm 7+ report (auditReportVersion 2): `vulnerabilities` by package, advisories in each `via`. */
function readReport(json: Record<string, unknown>): AuditReport {
  const vulnerabilities = json.vulnerabilities;
  if (!isObject(vulnerabilities)) throw new Error('npm audit report: `vulnerabilities` is not an object');
  const packages = new Map<string, Record<string, unknown>>();
  for (const [name, entry] of Object.entries(vulnerabilities)) {
    if (!isObject(entry) || !Array.isArray(entry.via)) throw new Error(`npm audit report: vulnerabilities.${name} has no \`via\` list`);
    packages.set(name, entry);
  }
  const advisories: Advisory[] = [];
  for (const [name, entry] of packages) {
    severity(entry.severity, `vulnerabilities.${name}`);
    for (const via of entry.via as unknown[]) {
      if (typeof via === 'string') continue; // vulnerable through the dependency `via` names: its own advisory is listed there
      if (!isObject(via)) throw new Error(`npm audit report: vulnerabilities.${name}.via holds ${JSON.stringify(via)}`);
      const url = text(via.url);
      const source = text(via.source);
      advisories.push({
        package: name,
        severity: severity(via.severity, `an advisory of ${name}`),
        id: /GHSA(-[0-9a-z]{4}){3}/i.exec(url)?.[0] ?? (source ? `npm advisory ${source}` : url || 'unnamed advisory'),
        source,
        title: text(via.title),
        url,
        range: text(via.range) || text(entry.range),
        nodes: Array.isArray(entry.nodes) ? entry.nodes.map(text) : [],
        paths: pathsTo(name, packages),
        fix: describeFix(entry.fixAvailable),
      });
    }
  }
  const meta = isObject(json.metadata) ? json.metadata : {};
  const byNpm = isObject(meta.vulnerabilities) ? meta.vulnerabilities : {};
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, typeof byNpm[s] === 'number' ? byNpm[s] : 0])) as Record<Severity, number>;
  // A report that counts high or critical packages but yields no such advisory means npm's
  // format changed under this script: better to stop than to pass on what it cannot read.
  const gatedPackages = GATED.reduce((sum, s) => sum + counts[s], 0);
  if (gatedPackages > 0 && !advisories.some((a) => GATED.includes(a.severity))) {
    throw new Error(`npm audit report: npm counts ${gatedPackages} high or critical packages but no high or critical advisory could be read from the report`);
  }
  const dependencies = isObject(meta.dependencies) && typeof meta.dependencies.prod === 'number' ? meta.dependencies.prod : undefined;
  return { advisories, counts, dependencies };
}

/** Up to three chains from a direct dependency down to `name`, following npm's `effects`. */
function pathsTo(name: string, packages: ReadonlyMap<string, Record<string, unknown>>): string[] {
  const found: string[] = [];
  const queue: string[][] = [[name]];
  for (let steps = 0; queue.length > 0 && found.length < 3 && steps < 10_000; steps++) {
    const chain = queue.shift() as string[];
    const top = packages.get(chain[0] as string);
    if (top?.isDirect === true) found.push(chain.join(' > '));
    const effects = Array.isArray(top?.effects) ? top.effects.map(text) : [];
    for (const parent of effects) if (!chain.includes(parent)) queue.push([parent, ...chain]);
  }
  return found;
}

function describeFix(fix: unknown): string {
  if (fix === true) return 'npm audit fix';
  if (isObject(fix)) return `${text(fix.name)}@${text(fix.version)}${fix.isSemVerMajor === true ? ' (semver-major)' : ''}`;
  return 'none available';
}

// ---------------------------------------------------------------------------------------------
// The allow-list

export interface AllowEntry {
  /** GHSA id, the advisory's URL, or npm's numeric source id. */
  readonly advisory: string;
  readonly package: string;
  readonly reason: string;
  readonly acceptedBy: string;
  /** YYYY-MM-DD: the acceptance counts up to and including this day (UTC), then no longer. */
  readonly reviewBy: string;
}

const ENTRY_FIELDS = ['advisory', 'package', 'reason', 'acceptedBy', 'reviewBy'] as const;

/** The allow-list file's entries; a malformed file or entry throws, naming the entry and field. */
export function parseAllowList(source: string, file = 'the allow-list'): AllowEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isObject(json) || !Array.isArray(json.accepted)) throw new Error(`${file}: expected an object with an \`accepted\` list`);
  return json.accepted.map((entry: unknown, index): AllowEntry => {
    const name = isObject(entry) && typeof entry.package === 'string' ? ` (package ${JSON.stringify(entry.package)}${typeof entry.advisory === 'string' ? `, advisory ${entry.advisory}` : ''})` : '';
    const fail = (problem: string) => new Error(`${file}: accepted[${index}]${name}: ${problem}`);
    if (!isObject(entry)) throw fail('is not an object');
    const unknown = Object.keys(entry).filter((key) => !(ENTRY_FIELDS as readonly string[]).includes(key));
    if (unknown.length > 0) throw fail(`unknown field ${unknown.join(', ')} (the fields are ${ENTRY_FIELDS.join(', ')})`);
    for (const field of ENTRY_FIELDS) {
      const value = entry[field];
      if (typeof value !== 'string' || value.trim() === '') throw fail(`${field} is missing or empty`);
    }
    const reviewBy = entry.reviewBy as string;
    const date = /^\d{4}-\d{2}-\d{2}$/.test(reviewBy) ? new Date(`${reviewBy}T00:00:00Z`) : undefined;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== reviewBy) throw fail(`reviewBy ${JSON.stringify(reviewBy)} is not a date (YYYY-MM-DD)`);
    return { advisory: entry.advisory as string, package: entry.package as string, reason: entry.reason as string, acceptedBy: entry.acceptedBy as string, reviewBy };
  });
}

/** Whether `entry` names `advisory` (by GHSA id, URL or source id, for the same package). */
const names = (entry: AllowEntry, advisory: Advisory) =>
  entry.package === advisory.package &&
  [advisory.id.toLowerCase(), advisory.url.toLowerCase(), advisory.source].filter(Boolean).includes(entry.advisory.trim().toLowerCase());

/** `today` (YYYY-MM-DD) is past the entry's review date. */
export const expired = (entry: AllowEntry, today: string) => today > entry.reviewBy;

export interface Verdict {
  /** High or critical, not accepted (or accepted by an entry past its review date). */
  readonly failing: readonly { readonly advisory: Advisory; readonly expiredEntry?: AllowEntry }[];
  readonly accepted: readonly { readonly advisory: Advisory; readonly entry: AllowEntry }[];
  /** Below high: counted, never failing. */
  readonly ignored: readonly Advisory[];
  /** Entries that named no high or critical advisory of this report. */
  readonly unused: readonly AllowEntry[];
}

export function judge(report: AuditReport, allowList: readonly AllowEntry[], today: string): Verdict {
  const failing: Verdict['failing'][number][] = [];
  const accepted: Verdict['accepted'][number][] = [];
  const ignored: Advisory[] = [];
  const used = new Set<AllowEntry>();
  for (const advisory of report.advisories) {
    if (!GATED.includes(advisory.severity)) {
      ignored.push(advisory);
      continue;
    }
    const matching = allowList.filter((entry) => names(entry, advisory));
    matching.forEach((entry) => used.add(entry));
    const current = matching.find((entry) => !expired(entry, today));
    if (current) accepted.push({ advisory, entry: current });
    else failing.push(matching[0] ? { advisory, expiredEntry: matching[0] } : { advisory });
  }
  return { failing, accepted, ignored, unused: allowList.filter((entry) => !used.has(entry)) };
}

// ---------------------------------------------------------------------------------------------
// Output

const named = (a: Advisory) => `${a.package} (${a.severity}) ${a.id}${a.title ? ` "${a.title}"` : ''}${a.url && a.url !== a.id ? ` ${a.url}` : ''}`;

function where(a: Advisory): string {
  const through = a.paths.length > 0 ? `through ${a.paths.join('; ')}` : 'not reached from a direct dependency in the report';
  return `vulnerable ${a.range || '(range not given)'} at ${a.nodes.join(', ') || '(not located)'}; ${through}; fix: ${a.fix}`;
}

/** The lines the script prints for a performed audit, and its exit status. */
export function formatVerdict(report: AuditReport, verdict: Verdict, today: string, file: string): { lines: string[]; exitCode: number } {
  const c = report.counts;
  const lines = [
    `dependency audit (npm audit --omit=dev${report.dependencies === undefined ? '' : `, ${report.dependencies} production dependencies`}): ` +
      `vulnerable packages by npm's count: ${c.critical} critical, ${c.high} high; not gated: ${c.moderate} moderate, ${c.low} low, ${c.info} info`,
  ];
  for (const { advisory, entry } of verdict.accepted) {
    lines.push(`  accepted until ${entry.reviewBy} by ${entry.acceptedBy}: ${named(advisory)}: ${entry.reason}`);
  }
  for (const entry of verdict.unused) {
    lines.push(`  ${file}: the entry for ${entry.package} ${entry.advisory} names no high or critical advisory in this report${expired(entry, today) ? ` and is past its review date ${entry.reviewBy}` : ''}: remove it`);
  }
  if (verdict.failing.length === 0) {
    lines.push(`dependency audit passed: no high or critical advisory outside ${file}`);
    return { lines, exitCode: EXIT.passed };
  }
  lines.push(`dependency audit FAILED: ${verdict.failing.length} high or critical ${verdict.failing.length === 1 ? 'advisory' : 'advisories'} not accepted in ${file}:`);
  for (const { advisory, expiredEntry } of verdict.failing) {
    lines.push(`  ${named(advisory)}`);
    lines.push(`    ${where(advisory)}`);
    if (expiredEntry) lines.push(`    accepted by ${expiredEntry.acceptedBy} until ${expiredEntry.reviewBy}: past its review date, so it no longer counts (review it, then renew the date or fix)`);
  }
  return { lines, exitCode: EXIT.findings };
}

export interface AuditIo {
  /** Runs `npm` with these arguments, returning what it printed and its status. */
  readonly runNpm: (args: readonly string[]) => { stdout: string; stderr: string; status: number | null; error?: Error };
  readonly readAllowList: () => string;
  readonly allowListName: string;
  readonly today: string;
}

/** The whole audit: the allow-list first (a malformed one fails even when npm cannot audit), then npm. */
export function runAudit(io: AuditIo): { lines: string[]; exitCode: number } {
  let allowList: AllowEntry[];
  try {
    allowList = parseAllowList(io.readAllowList(), io.allowListName);
  } catch (error) {
    return { lines: [`dependency audit could not run: ${(error as Error).message}`], exitCode: EXIT.error };
  }
  const npm = io.runNpm(['audit', '--omit=dev', '--json', '--loglevel=warn']);
  if (npm.error) return { lines: [`dependency audit could not run: npm did not start (${npm.error.message})`], exitCode: EXIT.error };
  const outcome = parseNpmAuditOutput(npm.stdout);
  switch (outcome.kind) {
    case 'report':
      return formatVerdict(outcome.report, judge(outcome.report, allowList, io.today), io.today, io.allowListName);
    case 'unavailable': {
      const lines = [`dependency audit NOT performed: ${outcome.reason}. No advisory was checked; this is not a pass.`];
      for (const entry of allowList.filter((e) => expired(e, io.today))) lines.push(`  ${io.allowListName}: the entry for ${entry.package} ${entry.advisory} is past its review date ${entry.reviewBy}`);
      return { lines, exitCode: EXIT.notPerformed };
    }
    case 'failed': {
      const stderr = npm.stderr.trim();
      return { lines: [`dependency audit could not run: ${outcome.reason}`, ...(stderr ? [`npm said: ${stderr}`] : [])], exitCode: EXIT.error };
    }
  }
}

function main(): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const allowListFile = join(root, 'docs', 'audit-allowlist.json');
  // Under `npm run`, npm_execpath is the npm that runs us: audit with that same npm.
  const npmCli = process.env.npm_execpath;
  const result = runAudit({
    runNpm: (args) => {
      const [command, prefix] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];
      const run = spawnSync(command, [...prefix, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      return { stdout: run.stdout ?? '', stderr: run.stderr ?? '', status: run.status, ...(run.error ? { error: run.error } : {}) };
    },
    readAllowList: () => readFileSync(allowListFile, 'utf8'),
    allowListName: relative(root, allowListFile),
    today: new Date().toISOString().slice(0, 10),
  });
  for (const line of result.lines) (result.exitCode === EXIT.passed ? console.log : console.error)(line);
  return result.exitCode;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main();
