/**
 * The coverage view (GET /v1/evaluation/coverage) as a maintained read model: what one approved
 * object adds to its department's figures (shared/pure/view-delta.ts). An object in the year's
 * scope counts as approved; with a self-evaluation past draft, as submitted; without one, it has
 * a line in the department's "missing" list, in the order coverage has always listed them
 * (unit, then object id).
 */
import type { Contribution } from '../../../shared/pure/view-delta.ts';

export const COVERAGE_VIEW = 'coverage';
export const MISSING_LIST = 'missing';
/**
 * Missing objects listed per department in the coverage summary; the rest are counted there and
 * listed in full, a page at a time, by GET /v1/evaluation/coverage/missing. A fixed number keeps
 * the summary's cost the same for a province as for a county.
 */
export const MISSING_LINES_PER_DEPARTMENT = 20;

export interface CoverageSource {
  objectId: string;
  name: string;
  department: string;
  unit: string;
}

/** An object's contribution from its scope entry and its self-evaluation's status (none: no self-evaluation yet). */
export function coverageContribution(scope: CoverageSource, selfStatus: 'draft' | 'submitted' | 'reviewed' | undefined): Contribution {
  const submitted = selfStatus !== undefined && selfStatus !== 'draft';
  return {
    group: scope.department,
    counts: { approved: 1, submitted: submitted ? 1 : 0 },
    lines: submitted ? [] : [{ list: MISSING_LIST, sortKey: missingSortKey(scope), data: { objectId: scope.objectId, name: scope.name, unit: scope.unit } }],
  };
}

/** Within the department's list: unit, then object, as the scope index orders them. */
export const missingSortKey = (s: Pick<CoverageSource, 'unit' | 'objectId'>) => `${s.unit}#${s.objectId}`;
