/**
 * Coverage of self-evaluation, read from its maintained view (store/coverage-view.ts): the
 * departments' counts and first missing objects, and the full missing list a page at a time.
 */
import type { Implementations } from '../../../shared/http/api.ts';
import { ownerPrefixFor } from '../../../shared/http/auth.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { MISSING_LINES_PER_DEPARTMENT } from '../domain/coverage-view.ts';
import type { coverageRoutes } from '../routes/coverage.ts';
import { coverageByDepartment, missingLines } from '../store/coverage-view.ts';

/** The department the caller may see (its own for a department user; the one asked for, or all, otherwise). */
function departmentOf(ctx: Parameters<typeof ownerPrefixFor>[0], asked: string | undefined): string | undefined {
  const prefix = ownerPrefixFor(ctx, asked);
  return prefix ? prefix.slice(0, -1) : undefined;
}

const line = (data: Record<string, unknown>) => ({ objectId: String(data.objectId), name: String(data.name), unit: String(data.unit) });

export const coverageApi: Implementations<typeof coverageRoutes> = {
  coverage: async ({ query, ctx }) => {
    const region = ctx.deploymentRegion;
    const counts = await coverageByDepartment(region, query.year, departmentOf(ctx.actor, query.department));
    const departments = [...counts].filter(([, c]) => c.approved > 0).map(([d]) => d).sort();
    const byDepartment = await Promise.all(
      departments.map(async (department) => {
        const { approved, submitted } = counts.get(department) ?? { approved: 0, submitted: 0 };
        const missing = approved > submitted ? (await missingLines(region, query.year, department, MISSING_LINES_PER_DEPARTMENT)).items.map((l) => line(l.data)) : [];
        return { department, approved, submitted, missing };
      }),
    );
    const approved = byDepartment.reduce((n, d) => n + d.approved, 0);
    const submitted = byDepartment.reduce((n, d) => n + d.submitted, 0);
    const missingList = `/v1/evaluation/coverage/missing?year=${query.year}${query.department ? `&department=${encodeURIComponent(query.department)}` : ''}`;
    return {
      body: { fiscalYear: query.year, approved, submitted, missing: approved - submitted, complete: submitted === approved, byDepartment },
      // The body keeps its shape; where the whole missing list is, a page at a time.
      headers: { link: `<${missingList}>; rel="missing"` },
    };
  },

  coverageMissing: async ({ query, ctx }) => {
    const page = await missingLines(ctx.deploymentRegion, query.year, departmentOf(ctx.actor, query.department), pageSize(query.limit), query.cursor);
    return {
      body: {
        items: page.items.map((l) => ({ ...line(l.data), department: l.group })),
        ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
      },
    };
  },
};
