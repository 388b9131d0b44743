/**
 * The coverage view's items (shared/views/counted-view.ts) in the evaluation table, partitions
 * VIEW#coverage#<region>#<year>[#C | #L#missing#<department>]: per department the approved and
 * submitted counts, its missing lines, and each object's contribution. Refreshed from an object's current SCOPE and SELF items
 * whenever either may have changed (the baseline consumer after a TargetApproved / TargetRevised,
 * and after the service's own EvaluationSubmitted); rebuilt and verified from the scope index and
 * the self-evaluations by `npm run rebuild-views`.
 */
import type { Page } from '../../../shared/pagination.ts';
import type { Contribution, GroupLine } from '../../../shared/pure/view-delta.ts';
import { readGroupLines, readGroups, readLines, rebuildView, refreshContribution, verifyView, type ViewKey } from '../../../shared/views/counted-view.ts';
import { COVERAGE_VIEW, coverageContribution, MISSING_LIST } from '../domain/coverage-view.ts';
import type { SelfEvaluation } from '../domain/self-evaluation.ts';
import { allScope, type ScopeEntry } from './baselines.ts';
import { allSelfEvaluations } from './self-evaluations.ts';
import { get, table } from './table.ts';

const key = (region: string, year: number): ViewKey => ({ table: table(), view: COVERAGE_VIEW, region, year });

/** Recomputes one object's place in the coverage view from its sources. Nothing to do for an object not (yet) in scope. */
export async function refreshCoverage(objectId: string): Promise<boolean> {
  const [scope, self] = await Promise.all([get<ScopeEntry>(`OBJ#${objectId}`, 'SCOPE'), get<Pick<SelfEvaluation, 'status'>>(`OBJ#${objectId}`, 'SELF')]);
  if (!scope) return false;
  return refreshContribution(key(scope.region, scope.fiscalYear), objectId, coverageContribution(scope, self?.status));
}

/** Approved and submitted per department (one department when given). */
export async function coverageByDepartment(region: string, year: number, department?: string): Promise<Map<string, { approved: number; submitted: number }>> {
  const groups = await readGroups(key(region, year), department);
  return new Map([...groups].map(([d, counts]) => [d, { approved: counts.approved ?? 0, submitted: counts.submitted ?? 0 }]));
}

/** A page of the missing lines, of one department when given (else of every department in turn), in unit and object order. */
export const missingLines = (region: string, year: number, department: string | undefined, limit: number, cursor?: string): Promise<Page<GroupLine>> =>
  department === undefined ? readLines(key(region, year), MISSING_LIST, limit, cursor) : readGroupLines(key(region, year), MISSING_LIST, department, limit, cursor);

/** Every object's contribution computed from the sources: what the view must hold (rebuild-views). */
export async function coverageFromSources(region: string, year: number): Promise<Map<string, Contribution>> {
  const [scope, selves] = await Promise.all([allScope(region, year), allSelfEvaluations(region, year)]);
  const status = new Map(selves.map((s) => [s.object.id, s.status]));
  return new Map(scope.map((s) => [s.objectId, coverageContribution(s, status.get(s.objectId))]));
}

export const verifyCoverage = async (region: string, year: number) => verifyView(key(region, year), await coverageFromSources(region, year), [MISSING_LIST]);
export const rebuildCoverage = async (region: string, year: number) => rebuildView(key(region, year), await coverageFromSources(region, year), [MISSING_LIST]);
