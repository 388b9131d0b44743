/**
 * The maintained-view property, shared by the small run in `npm test`
 * (test/integration/views-property.test.ts) and the large one in `npm run test:reliability`
 * (test/reliability/views-property.full.test.ts): for a random history of source changes to a
 * few objects (moved between departments and units, renamed, self-evaluations submitted), whose
 * refreshes are delivered late, out of order, twice, and some at the same moment, the view kept by
 * `refreshContribution` on real DynamoDB Local equals the one computed from the sources at the end.
 */
import fc from 'fast-check';
import { computeView, viewDifferences, type Contribution } from '../../shared/pure/view-delta.ts';
import { refreshContribution, storedView, type ViewKey } from '../../shared/views/counted-view.ts';
import { coverageContribution } from '../../services/evaluation/domain/coverage-view.ts';

interface SourceState {
  department: string;
  unit: string;
  name: string;
  status?: 'draft' | 'submitted' | 'reviewed';
}

const source = fc.record({
  department: fc.constantFrom('D-EDU', 'D-AGR', 'D-WAT'),
  unit: fc.constantFrom('U-01', 'U-02'),
  name: fc.constantFrom('项目甲', '项目乙', '项目丙'),
  status: fc.option(fc.constantFrom('draft', 'submitted', 'reviewed'), { nil: undefined }),
}) as fc.Arbitrary<SourceState>;

/** A history: changes to objects 0..n-1, and for each the moment (a later step) its refresh is delivered, maybe twice. */
const history = (objects: number, steps: number) =>
  fc.array(
    fc.record({ object: fc.nat({ max: objects - 1 }), to: source, delays: fc.array(fc.nat({ max: steps }), { minLength: 1, maxLength: 2 }) }),
    { minLength: 1, maxLength: steps },
  );

const contributionOf = (id: string, s: SourceState): Contribution => coverageContribution({ objectId: id, name: s.name, department: s.department, unit: s.unit }, s.status);

/** Runs one history against the view `k` (a partition of its own) and returns the differences at the end. */
async function runHistory(k: ViewKey, changes: { object: number; to: SourceState; delays: number[] }[]): Promise<string[]> {
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
  const stored = await storedView(k, ['missing'], ['D-EDU', 'D-AGR', 'D-WAT']);
  return viewDifferences(stored, computeView([...sources].map(([id, s]) => contributionOf(id, s))));
}

export async function checkViewProperty(table: string, options: { runs: number; objects: number; steps: number; seed?: number }): Promise<void> {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(history(options.objects, options.steps), async (changes) => {
      const k: ViewKey = { table, view: `property-${Date.now()}-${run++}`, region: '360000', year: 2027 };
      const differences = await runHistory(k, changes);
      if (differences.length) throw new Error(differences.join('\n'));
    }),
    { numRuns: options.runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) },
  );
}
