/**
 * The maintained-view property, shared by the small run in `npm test`
 * (test/integration/views-property.test.ts) and the large one in `npm run test:reliability`
 * (test/reliability/views-property.full.test.ts): for a random history of source changes to a
 * few objects (moved between departments and units, renamed, self-evaluations submitted), whose
 * refreshes are delivered late, out of order, twice, and some at the same moment, the view kept by
 * `refreshContribution` on real DynamoDB Local equals the one computed from the sources at the end.
 *
 * Two kinds of contribution: coverage's (one group, a missing line or none) and the monitoring
 * dashboard's of a key window (objects moving in and out of its scope with their amount, reports
 * with worst rows listed under a second, region-wide group, treasury figures).
 */
import fc from 'fast-check';
import { computeView, viewDifferences, type Contribution } from '../../shared/pure/view-delta.ts';
import { refreshContribution, storedView, type ViewKey } from '../../shared/views/counted-view.ts';
import { coverageContribution } from '../../services/evaluation/domain/coverage-view.ts';
import { dashboardContribution, REGION_GROUP } from '../../services/monitoring/domain/dashboard-view.ts';
import type { ReportHead, Window } from '../../services/monitoring/domain/report.ts';
import { defaultMonitoringRules } from '../../services/monitoring/domain/rules.ts';

interface SourceState {
  department: string;
  unit: string;
  name: string;
  status?: 'draft' | 'submitted' | 'reviewed';
  /** Dashboard only: the annual amount (the key window takes 1000 万元 and up), the report, the treasury's figure. */
  annualTotalWan?: number;
  report?: { light: 'green' | 'yellow' | 'red'; executedWan: number; late: boolean; worst: number };
  treasuryWan?: number;
}

export type ViewKind = 'coverage' | 'dashboard';

const source = fc.record({
  department: fc.constantFrom('D-EDU', 'D-AGR', 'D-WAT'),
  unit: fc.constantFrom('U-01', 'U-02'),
  name: fc.constantFrom('项目甲', '项目乙', '项目丙'),
  status: fc.option(fc.constantFrom('draft', 'submitted', 'reviewed'), { nil: undefined }),
  annualTotalWan: fc.constantFrom(500, 1000, 2400.5),
  report: fc.option(fc.record({ light: fc.constantFrom('green', 'yellow', 'red'), executedWan: fc.constantFrom(0, 120.25, 900), late: fc.boolean(), worst: fc.nat({ max: 3 }) }), { nil: undefined }),
  treasuryWan: fc.option(fc.constantFrom(0, 33.123456, 700), { nil: undefined }),
}) as fc.Arbitrary<SourceState>;

const RULES = defaultMonitoringRules('360000', 2027);
/** A key window that also lists obj_0 by name: the others are in it only from 1000 万元. */
const KEY_WINDOW: Pick<Window, 'fiscalYear' | 'scope'> = { fiscalYear: 2027, scope: { kind: 'key', objectIds: ['obj_0'] } };

function dashboardOf(id: string, s: SourceState): Contribution | undefined {
  const annualTotalWan = s.annualTotalWan ?? 500;
  const r = s.report;
  // Only what the dashboard reads of a head.
  const head = r
    ? ({
        light: r.light,
        late: r.late,
        annualBudgetWan: annualTotalWan,
        execution: { executedWan: r.executedWan },
        deviationCount: r.worst,
        worst: Array.from({ length: r.worst }, (_, i) => ({ kind: 'indicator', name: `行${i}`, light: i % 2 ? 'yellow' : 'red', severity: 'major', detail: '滞后', ...(i ? { score: 40 + i } : {}) })),
      } as unknown as ReportHead)
    : undefined;
  return dashboardContribution(KEY_WINDOW, { objectId: id, name: s.name, department: s.department, unit: s.unit, fiscalYear: 2027, annualTotalWan }, head, s.treasuryWan, RULES);
}

/** A history: changes to objects 0..n-1, and for each the moment (a later step) its refresh is delivered, maybe twice. */
const history = (objects: number, steps: number) =>
  fc.array(
    fc.record({ object: fc.nat({ max: objects - 1 }), to: source, delays: fc.array(fc.nat({ max: steps }), { minLength: 1, maxLength: 2 }) }),
    { minLength: 1, maxLength: steps },
  );

const KINDS = {
  coverage: { contributionOf: (id: string, s: SourceState): Contribution | undefined => coverageContribution({ objectId: id, name: s.name, department: s.department, unit: s.unit }, s.status), lists: ['missing'], groups: [] as string[] },
  dashboard: { contributionOf: dashboardOf, lists: ['objects', 'worst'], groups: [REGION_GROUP] },
};

/** Runs one history against the view `k` (a partition of its own) and returns the differences at the end. */
async function runHistory(k: ViewKey, kind: ViewKind, changes: { object: number; to: SourceState; delays: number[] }[]): Promise<string[]> {
  const { contributionOf, lists, groups } = KINDS[kind];
  const sources = new Map<string, SourceState>();
  const refresh = (id: string) => {
    const s = sources.get(id);
    return refreshContribution(k, id, s ? contributionOf(id, s) : undefined);
  };
  // Deliveries due at each step; a delivery reads the object's sources as they are when it runs.
  const due = new Map<number, string[]>();
  changes.forEach((c, step) => {
    for (const d of c.delays) due.set(step + d, [...(due.get(step + d) ?? []), `obj_${c.object}`]);
  });
  const lastStep = Math.max(changes.length, ...due.keys());
  for (let step = 0; step <= lastStep; step++) {
    const change = changes[step];
    if (change) sources.set(`obj_${change.object}`, change.to);
    // The deliveries of one step run at the same moment (two sandboxes), racing on the same items.
    await Promise.all((due.get(step) ?? []).map(refresh));
  }
  const stored = await storedView(k, lists, ['D-EDU', 'D-AGR', 'D-WAT', ...groups]);
  return viewDifferences(stored, computeView([...sources].flatMap(([id, s]) => contributionOf(id, s) ?? [])));
}

export async function checkViewProperty(table: string, options: { runs: number; objects: number; steps: number; seed?: number; kind?: ViewKind }): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(history(options.objects, options.steps), async (changes) => {
      const k: ViewKey = { table, view: `property-${Date.now()}-${run++}`, region: '360000', year: 2027 };
      const differences = await runHistory(k, options.kind ?? 'coverage', changes);
      if (differences.length) throw new Error(differences.join('\n'));
    }),
    { numRuns: options.runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  );
}
