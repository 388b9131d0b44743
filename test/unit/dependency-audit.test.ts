/**
 * The dependency audit (scripts/audit.ts) on planted npm reports and allow-lists: what fails,
 * what an acceptance lets through and for how long, what is not gated, and that an audit npm
 * could not perform is never reported as a pass.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT, judge, parseAllowList, parseNpmAuditOutput, runAudit, type AuditIo, type AuditReport } from '../../scripts/audit.ts';

const TODAY = '2026-12-07';
const MINIMIST = 'GHSA-xvch-5gv4-984h';

/** An `npm audit --omit=dev --json` report as npm 10 and 11 print it: minimist (critical) reached through mkdirp, and a moderate advisory. */
function npmReport(options: { minimistSeverity?: string } = {}) {
  const severity = options.minimistSeverity ?? 'critical';
  return {
    auditReportVersion: 2,
    vulnerabilities: {
      minimist: {
        name: 'minimist',
        severity,
        isDirect: false,
        via: [
          {
            source: 1096302,
            name: 'minimist',
            dependency: 'minimist',
            title: 'Prototype Pollution in minimist',
            url: `https://github.com/advisories/${MINIMIST}`,
            severity,
            cwe: ['CWE-1321'],
            cvss: { score: 9.8, vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
            range: '<0.2.4',
          },
        ],
        effects: ['mkdirp'],
        range: '<=0.2.3',
        nodes: ['node_modules/minimist'],
        fixAvailable: { name: 'mkdirp', version: '0.5.6', isSemVerMajor: false },
      },
      mkdirp: {
        name: 'mkdirp',
        severity,
        isDirect: true,
        via: ['minimist'],
        effects: [],
        range: '0.4.1 - 0.5.1',
        nodes: ['node_modules/mkdirp'],
        fixAvailable: true,
      },
      'word-wrap': {
        name: 'word-wrap',
        severity: 'moderate',
        isDirect: true,
        via: [
          {
            source: 1102444,
            name: 'word-wrap',
            dependency: 'word-wrap',
            title: 'word-wrap vulnerable to Regular Expression Denial of Service',
            url: 'https://github.com/advisories/GHSA-j8xg-fqg3-53r7',
            severity: 'moderate',
            range: '<1.2.4',
          },
        ],
        effects: [],
        range: '<1.2.4',
        nodes: ['node_modules/word-wrap'],
        fixAvailable: true,
      },
    },
    metadata: {
      vulnerabilities: { info: 0, low: 0, moderate: 1, high: severity === 'high' ? 2 : 0, critical: severity === 'critical' ? 2 : 0, total: 3 },
      dependencies: { prod: 42, dev: 0, optional: 0, peer: 0, peerOptional: 0, total: 42 },
    },
  };
}

/** What npm 11 prints on stdout when the registry answers the advisory endpoint with 405 (captured on this machine). */
const REFUSED = JSON.stringify({
  message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  method: 'POST',
  uri: 'https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
  headers: { allow: ['GET,HEAD'], 'content-length': ['0'] },
  statusCode: 405,
  body: '',
  error: { summary: '', detail: '' },
});

const entry = (fields: Record<string, string> = {}) => ({
  advisory: MINIMIST,
  package: 'minimist',
  reason: 'only reached by the build, never with user input',
  acceptedBy: 'security lead',
  reviewBy: '2027-01-31',
  ...fields,
});
const allowList = (...entries: unknown[]) => JSON.stringify({ about: 'planted', accepted: entries });

function audit(stdout: string, allowListText = allowList()) {
  const calls: (readonly string[])[] = [];
  const io: AuditIo = {
    runNpm: (args) => {
      calls.push(args);
      return { stdout, stderr: '', status: 1 };
    },
    readAllowList: () => allowListText,
    allowListName: 'docs/audit-allowlist.json',
    today: TODAY,
  };
  const result = runAudit(io);
  return { ...result, text: result.lines.join('\n'), calls };
}

const report = (stdout: string): AuditReport => {
  const outcome = parseNpmAuditOutput(stdout);
  if (outcome.kind !== 'report') throw new Error(`expected a report, got ${JSON.stringify(outcome)}`);
  return outcome.report;
};

describe('the dependency audit on planted reports', () => {
  it('asks npm for the production dependencies only, as JSON', () => {
    expect(audit(JSON.stringify(npmReport())).calls).toEqual([['audit', '--omit=dev', '--json', '--loglevel=warn']]);
  });

  it('fails on a critical advisory nobody accepted, naming the package, advisory and the way it is reached', () => {
    const result = audit(JSON.stringify(npmReport()));
    expect(result.exitCode).toBe(EXIT.findings);
    expect(result.text).toContain('dependency audit FAILED: 1 high or critical advisory not accepted in docs/audit-allowlist.json');
    expect(result.text).toContain(`minimist (critical) ${MINIMIST} "Prototype Pollution in minimist" https://github.com/advisories/${MINIMIST}`);
    expect(result.text).toContain('vulnerable <0.2.4 at node_modules/minimist; through mkdirp > minimist; fix: mkdirp@0.5.6');
    // the moderate advisory is not among the failures
    expect(result.text).not.toContain('GHSA-j8xg-fqg3-53r7');
  });

  it('fails on a high advisory just the same', () => {
    const result = audit(JSON.stringify(npmReport({ minimistSeverity: 'high' })));
    expect(result.exitCode).toBe(EXIT.findings);
    expect(result.text).toContain(`minimist (high) ${MINIMIST}`);
  });

  it('passes when the allow-list accepts that advisory for that package, and says so', () => {
    for (const advisory of [MINIMIST, MINIMIST.toLowerCase(), `https://github.com/advisories/${MINIMIST}`, '1096302']) {
      const result = audit(JSON.stringify(npmReport()), allowList(entry({ advisory })));
      expect(result.exitCode, advisory).toBe(EXIT.passed);
      expect(result.text).toContain(`accepted until 2027-01-31 by security lead: minimist (critical) ${MINIMIST}`);
      expect(result.text).toContain('dependency audit passed');
    }
  });

  it('an acceptance of the advisory for another package does not count', () => {
    const result = audit(JSON.stringify(npmReport()), allowList(entry({ package: 'mkdirp' })));
    expect(result.exitCode).toBe(EXIT.findings);
    expect(result.text).toContain('the entry for mkdirp GHSA-xvch-5gv4-984h names no high or critical advisory in this report: remove it');
  });

  it('an acceptance counts through its review day and no longer after it', () => {
    expect(audit(JSON.stringify(npmReport()), allowList(entry({ reviewBy: TODAY }))).exitCode).toBe(EXIT.passed);
    const result = audit(JSON.stringify(npmReport()), allowList(entry({ reviewBy: '2026-12-06' })));
    expect(result.exitCode).toBe(EXIT.findings);
    expect(result.text).toContain(`minimist (critical) ${MINIMIST}`);
    expect(result.text).toContain('accepted by security lead until 2026-12-06: past its review date, so it no longer counts');
  });

  it('moderate advisories are counted and never fail', () => {
    const planted = npmReport();
    const { minimist: _minimist, mkdirp: _mkdirp, ...moderateOnly } = planted.vulnerabilities;
    const result = audit(JSON.stringify({ ...planted, vulnerabilities: moderateOnly, metadata: { ...planted.metadata, vulnerabilities: { info: 0, low: 0, moderate: 1, high: 0, critical: 0, total: 1 } } }));
    expect(result.exitCode).toBe(EXIT.passed);
    expect(result.text).toContain('0 critical, 0 high; not gated: 1 moderate');
    const verdict = judge(report(JSON.stringify(npmReport())), [], TODAY);
    expect(verdict.ignored.map((a) => a.id)).toEqual(['GHSA-j8xg-fqg3-53r7']);
    expect(verdict.failing.map((f) => f.advisory.id)).toEqual([MINIMIST]);
  });

  it('a report with no advisories passes', () => {
    const clean = { auditReportVersion: 2, vulnerabilities: {}, metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0, total: 0 }, dependencies: { prod: 42 } } };
    const result = audit(JSON.stringify(clean));
    expect(result.exitCode).toBe(EXIT.passed);
    expect(result.text).toContain('42 production dependencies');
  });

  it('a report whose counts say high or critical but whose advisories cannot be read is an error, not a pass', () => {
    const planted = npmReport();
    const result = audit(JSON.stringify({ ...planted, vulnerabilities: { mkdirp: planted.vulnerabilities.mkdirp } }));
    expect(result.exitCode).toBe(EXIT.error);
    expect(result.text).toContain('npm counts 2 high or critical packages but no high or critical advisory could be read');
  });
});

describe('an audit npm could not perform', () => {
  it("the registry's 405 on the advisory endpoint is reported as not performed, never as a pass", () => {
    const result = audit(REFUSED);
    expect(result.exitCode).toBe(EXIT.notPerformed);
    expect(result.exitCode).not.toBe(EXIT.passed);
    expect(result.lines[0]).toBe(
      'dependency audit NOT performed: the registry refused the advisory endpoint (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk). No advisory was checked; this is not a pass.',
    );
  });

  it('an unreachable endpoint and an old npm error code are not performed too', () => {
    const unreachable = JSON.stringify({ message: 'request to http://127.0.0.1:9/-/npm/v1/security/advisories/bulk failed, reason: connect ECONNREFUSED 127.0.0.1:9', error: { summary: '', detail: '' } });
    expect(parseNpmAuditOutput(unreachable)).toEqual({ kind: 'unavailable', reason: expect.stringContaining('could not be reached (request to http://127.0.0.1:9') });
    const oldNpm = JSON.stringify({ error: { code: 'ENOAUDIT', summary: 'Your configured registry does not support audit requests.', detail: '' } });
    expect(parseNpmAuditOutput(oldNpm)).toEqual({ kind: 'unavailable', reason: 'the advisory endpoint failed (ENOAUDIT: Your configured registry does not support audit requests.)' });
  });

  it("npm's own failure (no lockfile) or unreadable output is an error, apart from an unreachable endpoint", () => {
    const noLock = JSON.stringify({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: 'Try creating one first with: npm i --package-lock-only' } });
    const result = audit(noLock);
    expect(result.exitCode).toBe(EXIT.error);
    expect(result.text).toContain('npm audit failed: ENOLOCK: This command requires an existing lockfile.');
    expect(audit('').exitCode).toBe(EXIT.error);
    expect(audit('npm ERR! something').exitCode).toBe(EXIT.error);
  });
});

describe('the allow-list', () => {
  it('the committed allow-list is well formed', () => {
    const file = new URL('../../docs/audit-allowlist.json', import.meta.url);
    expect(() => parseAllowList(readFileSync(file, 'utf8'), 'docs/audit-allowlist.json')).not.toThrow();
  });

  it.each([
    ['not JSON', '{ accepted: [', 'docs/audit-allowlist.json: not JSON'],
    ['no accepted list', JSON.stringify({ entries: [] }), 'docs/audit-allowlist.json: expected an object with an `accepted` list'],
    ['an entry without a reason', allowList(entry(), entry({ package: 'mkdirp', reason: ' ' })), `docs/audit-allowlist.json: accepted[1] (package "mkdirp", advisory ${MINIMIST}): reason is missing or empty`],
    ['an entry without acceptedBy', allowList({ ...entry(), acceptedBy: undefined }), `accepted[0] (package "minimist", advisory ${MINIMIST}): acceptedBy is missing or empty`],
    ['a review date that is no date', allowList(entry({ reviewBy: '2027-02-30' })), `accepted[0] (package "minimist", advisory ${MINIMIST}): reviewBy "2027-02-30" is not a date (YYYY-MM-DD)`],
    ['a review date in another format', allowList(entry({ reviewBy: '31/01/2027' })), 'reviewBy "31/01/2027" is not a date (YYYY-MM-DD)'],
    ['a misspelt field', allowList(entry({ reviewby: '2027-01-31' })), `accepted[0] (package "minimist", advisory ${MINIMIST}): unknown field reviewby`],
    ['an entry that is not an object', allowList('minimist'), 'accepted[0]: is not an object'],
  ])('a malformed allow-list (%s) stops the audit with an error naming the entry', (_case, text, message) => {
    expect(() => parseAllowList(text, 'docs/audit-allowlist.json')).toThrow(message);
    const result = audit(JSON.stringify(npmReport()), text);
    expect(result.exitCode).toBe(EXIT.error);
    expect(result.text).toContain(message);
    // it is checked before npm runs, so it fails even where the registry refuses the audit
    expect(result.calls).toEqual([]);
    expect(audit(REFUSED, text).exitCode).toBe(EXIT.error);
  });
});
