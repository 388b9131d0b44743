/** A spending object as the declaration domain holds it, and the workflow's actors: the fixtures the pure declaration specs share. */
import type { SpendingObject } from '../../services/declaration/domain/spending-object.ts';
import type { WorkflowActor } from '../../services/declaration/domain/workflow.ts';

/** A new 500 万元 education project of unit_school in dept_edu, a draft, created 2026-01-05. */
const DRAFT_PROJECT: SpendingObject = {
  id: 'obj_0000000001',
  version: 3,
  spendingType: 'project',
  name: '职业技能提升培训',
  fiscalYear: 2026,
  sector: 'education',
  lifecycle: 'new',
  proposedForRenewal: false,
  period: { startYear: 2026, endYear: 2028 },
  amounts: { mediumTermTotalWan: 1500, annualTotalWan: 500, fiscalWan: 400, otherWan: 100 },
  region: '360000',
  department: 'dept_edu',
  unit: 'unit_school',
  status: 'draft',
  submissions: 0,
  targetVersion: 0,
  reviews: [],
  revisions: 0,
  createdAt: '2026-01-05T00:00:00.000Z',
  createdBy: 'user_unit',
  updatedAt: '2026-01-05T00:00:00.000Z',
};

/** The draft project with `changes`. */
export const spendingObject = (changes: Partial<SpendingObject> = {}): SpendingObject => ({ ...structuredClone(DRAFT_PROJECT), ...changes });

export const unitActor: WorkflowActor = { sub: 'user_unit', role: 'unit', department: 'dept_edu', unit: 'unit_school' };
export const departmentActor: WorkflowActor = { sub: 'user_dept', role: 'department', department: 'dept_edu' };
export const financeActor: WorkflowActor = { sub: 'user_finance', role: 'finance' };
