/** Implementation of the coverage route: the approved objects of a year and which of them have a submitted self-evaluation. */
import type { Implementations } from '../../../shared/http/api.ts';
import { ownerPrefixFor } from '../../../shared/http/auth.ts';
import type { coverageRoutes } from '../routes/coverage.ts';
import { allScope } from '../store/baselines.ts';
import { allSelfEvaluations } from '../store/self-evaluations.ts';

export const coverageApi: Implementations<typeof coverageRoutes> = {
  coverage: async ({ query, ctx }) => {
    const prefix = ownerPrefixFor(ctx.actor, query.department);
    const [scope, selves] = await Promise.all([allScope(ctx.deploymentRegion, query.year, prefix), allSelfEvaluations(ctx.deploymentRegion, query.year, prefix)]);
    const done = new Set(selves.filter((s) => s.status !== 'draft').map((s) => s.object.id));
    const departments = [...new Set(scope.map((s) => s.department))].sort();
    const byDepartment = departments.map((department) => {
      const objects = scope.filter((s) => s.department === department);
      return {
        department,
        approved: objects.length,
        submitted: objects.filter((o) => done.has(o.objectId)).length,
        missing: objects.filter((o) => !done.has(o.objectId)).map((o) => ({ objectId: o.objectId, name: o.name, unit: o.unit })),
      };
    });
    const submitted = scope.filter((s) => done.has(s.objectId)).length;
    return { body: { fiscalYear: query.year, approved: scope.length, submitted, missing: scope.length - submitted, complete: submitted === scope.length, byDepartment } };
  },
};
