/**
 * The authorization matrix's fixture table: for every operationId of the manifests, how to aim
 * a request at a real record of department A / unit A (world.ts), and what an out-of-scope
 * caller (department B, unit B or A's sibling unit, supervisor B) must get there. The matrix
 * test fails for any route of `routeSpecsByService` missing here, so a new route cannot be
 * forgotten.
 *
 * Writes never depend on state: every If-Match route gets a stale ETag (an allowed caller
 * gets 412 or a 409/422 state refusal, never a write) and every allowed body is invalid on
 * purpose (an allowed caller gets 400 — after the role check, so a refused role still gets
 * 403). The out-of-scope attempt of a scoped write sends a VALID body: a missing scope check
 * would then answer 2xx (and write), which the matrix counts as a leak.
 *
 * Documented out-of-scope statuses (checked against the services):
 * - declaration, monitoring, evaluation: 403 (`inScope` / `ownerPrefixFor`, the object is named);
 * - accountability rectifications and assessments: 403; a department asking for another
 *   department's assessment: 403;
 * - accountability alert subscriptions and alerts: 404 (each supervisor's own, keyed by `sub`:
 *   another supervisor's id does not exist for them);
 * - lists: a department or unit filtering for another department gets 403; unfiltered, it
 *   gets 200 with only its own records (`shows` must be false).
 */
import { standardRows } from '../../support/declaration.ts';
import type { MatrixRole, World } from './authz-world.ts';

export interface Target {
  /** Path parameters naming A's record (or any value on region-wide routes). */
  params?: (w: World) => Record<string, string>;
  query?: (w: World) => Record<string, string>;
  /** Body of all requests but the out-of-scope ones; invalid on purpose. Omit for routes without a body. */
  body?: unknown;
  /** Exact status for an allowed in-scope caller; default: any 2xx/4xx but 401/403. */
  ok?: number;
  /** Roles whose B token must be refused on A's record, with the status the service documents. */
  scoped?: Partial<Record<MatrixRole, 403 | 404>>;
  /** The out-of-scope attempt's body (valid: a missing check would write). */
  outBody?: (w: World) => unknown;
  /** The out-of-scope attempt's query (a list filtered for department A). */
  outQuery?: (w: World) => Record<string, string>;
  /** For answers an out-of-scope caller may get (lists): true if they show A's record. */
  shows?: (body: any, w: World) => boolean;
  /** Roles whose B token must not see A's record in `shows` though the route has no refusal (default: the `scoped` roles). */
  hiddenFrom?: readonly MatrixRole[];
}

/** Fails zod strict objects and any other body schema. */
export const INVALID = { 'authz-matrix-invalid-field': ['not', { valid: true }] };

const id = (k: keyof World) => (w: World) => ({ id: String(w[k]) });
const year = (w: World) => ({ year: String(w.year) });
const yearQ = (w: World) => ({ year: String(w.year) });
const yearDeptA = (w: World) => ({ year: String(w.year), department: w.deptA });
const has = (value: string) => (body: any) => JSON.stringify(body ?? '').includes(value);
const showsObject = (body: any, w: World) => has(w.objectId)(body);
const UNIT_DEPT_403 = { unit: 403, department: 403 } as const;
const NONE = 'authz_matrix_nothing_here0';

const reportUpdate = (w: World) => ({
  executedWan: 400,
  expectedFullYearWan: 800,
  indicators: w.rowIds.map((rowId) => ({ rowId, valueToDate: 1, forecast: 1, likelihood: 'certain' })),
});
const reportBody = (w: World) => ({ windowId: w.windowId, objectId: w.objectId, ...reportUpdate(w) });

export const targets: Record<string, Target> = {
  // ---- platform (public) ----
  getHealth: { ok: 200 },
  getOpenApi: { ok: 200 },

  // ---- indicators: region-wide library, finance writes ----
  getIndicatorVocabulary: { ok: 200 },
  listSectors: { ok: 200 },
  putSector: { params: () => ({ code: 'agriculture' }), body: INVALID, ok: 400 },
  createIndicator: { body: INVALID, ok: 400 },
  listIndicators: { ok: 200 },
  exportIndicators: { ok: 200 },
  getIndicator: { params: id('indicatorId'), ok: 200 },
  editIndicator: { params: id('indicatorId'), body: INVALID, ok: 400 },
  publishIndicator: { params: id('indicatorId') },
  reviseIndicator: { params: id('indicatorId'), body: INVALID, ok: 400 },
  listIndicatorRevisions: { params: id('indicatorId'), ok: 200 },
  getIndicatorRevision: { params: (w) => ({ id: w.indicatorId, revision: '1' }) },
  retireIndicator: { params: id('indicatorId'), body: INVALID, ok: 400 },
  getIndicatorAudit: { params: id('indicatorId'), ok: 200 },
  getIndicatorHistory: { params: id('indicatorId'), ok: 200 },
  recommendIndicators: { body: INVALID, ok: 400 },
  importIndicators: { body: INVALID, ok: 400 },
  getImport: { params: () => ({ jobId: NONE }) },
  createTemplate: { body: INVALID, ok: 400 },
  listTemplates: { ok: 200 },
  getTemplate: { params: () => ({ id: NONE }) },
  editTemplate: { params: () => ({ id: NONE }), body: INVALID, ok: 400 },
  publishTemplate: { params: () => ({ id: NONE }) },
  reviseTemplate: { params: () => ({ id: NONE }), body: INVALID, ok: 400 },
  getTemplateRevision: { params: () => ({ id: NONE, revision: '1' }) },
  retireTemplate: { params: () => ({ id: NONE }), body: INVALID, ok: 400 },

  // ---- declaration: objects of unit A ----
  createSpendingObject: { body: INVALID, ok: 400 },
  listSpendingObjects: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: UNIT_DEPT_403, shows: showsObject },
  getSpendingObject: { params: id('objectId'), ok: 200, scoped: UNIT_DEPT_403 },
  editSpendingObject: { params: id('objectId'), body: INVALID, ok: 400, scoped: { unit: 403 }, outBody: () => ({ name: '越权修改' }) },
  putExAnteAssessment: {
    params: id('objectId'),
    body: INVALID,
    ok: 400,
    scoped: { department: 403 },
    outBody: () => ({ scores: { necessity: 13, economy: 13, targetReasonableness: 13, feasibility: 13, financingCompliance: 13 }, recommendedCeilingWan: 800 }),
  },
  getExAnteAssessment: { params: id('objectId'), scoped: UNIT_DEPT_403 },
  putTargets: { params: id('objectId'), body: INVALID, ok: 400, scoped: { unit: 403 }, outBody: () => ({ overallGoal: { annual: '越权' }, rows: standardRows }) },
  getTargets: { params: id('objectId'), ok: 200, scoped: UNIT_DEPT_403 },
  checkTargets: { params: id('objectId'), ok: 200, scoped: UNIT_DEPT_403 },
  listTargetVersions: { params: id('objectId'), ok: 200, scoped: UNIT_DEPT_403 },
  getTargetVersion: { params: (w) => ({ id: w.objectId, version: String(w.targetVersion) }), ok: 200, scoped: UNIT_DEPT_403 },
  submitDeclaration: { params: id('objectId'), scoped: { unit: 403 } },
  reviewDeclaration: { params: id('objectId'), body: INVALID, ok: 400, scoped: { department: 403 }, outBody: () => ({ grade: 'excellent' }) },
  submitTargetRevision: {
    params: id('objectId'),
    body: INVALID,
    ok: 400,
    scoped: { unit: 403 },
    outBody: () => ({ targets: { overallGoal: { annual: '越权' }, rows: standardRows }, reason: '越权调整' }),
  },
  getProposedRevision: { params: id('objectId'), scoped: UNIT_DEPT_403 },
  decideResults: { params: id('objectId'), body: INVALID, ok: 400 },
  getDeclarationHistory: { params: id('objectId'), ok: 200, scoped: UNIT_DEPT_403 },
  getProjectLibrary: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: UNIT_DEPT_403, shows: showsObject },
  getDeclarationRules: { params: year },
  putDeclarationRules: { params: year, body: INVALID, ok: 400 },
  listDeclarationRuleVersions: { params: year },

  // ---- monitoring ----
  createMonitoringWindow: { body: INVALID, ok: 400 },
  listMonitoringWindows: { query: yearQ, ok: 200 },
  getMonitoringWindow: { params: id('windowId'), ok: 200 },
  getMonitoringReportDraft: { query: (w) => ({ windowId: w.windowId, objectId: w.objectId }), scoped: UNIT_DEPT_403 },
  createMonitoringReport: { body: INVALID, ok: 400, scoped: { unit: 403 }, outBody: reportBody },
  listMonitoringReports: {
    query: (w) => ({ windowId: w.windowId }),
    ok: 200,
    outQuery: (w) => ({ windowId: w.windowId, department: w.deptA }),
    scoped: UNIT_DEPT_403,
    shows: (body, w) => has(w.reportId)(body),
  },
  getMonitoringReport: { params: id('reportId'), ok: 200, scoped: UNIT_DEPT_403 },
  correctMonitoringReport: { params: id('reportId'), body: INVALID, ok: 400, scoped: { unit: 403 }, outBody: reportUpdate },
  listMonitoringReportRevisions: { params: id('reportId'), ok: 200, scoped: UNIT_DEPT_403 },
  reviewMonitoringReport: { params: id('reportId'), body: INVALID, ok: 400, scoped: { department: 403 }, outBody: () => ({ outcome: 'pass' }) },
  getObjectMonitoring: { params: id('objectId'), ok: 200, scoped: UNIT_DEPT_403 },
  getMonitoringDashboard: {
    params: id('windowId'),
    ok: 200,
    outQuery: (w) => ({ department: w.deptA }),
    scoped: { department: 403 },
    shows: (body, w) => has(w.objectId)(body),
  },
  getMonitoringRules: { params: year },
  putMonitoringRules: { params: year, body: INVALID, ok: 400 },
  listMonitoringRuleVersions: { params: year },
  verifyMonitoringViews: { query: yearQ, ok: 200 },
  rebuildMonitoringViews: { body: INVALID, ok: 400 },
  ingestExecutionBatch: { body: INVALID, ok: 400 },
  getExecutionBatch: { params: () => ({ batchId: NONE }) },

  // ---- evaluation ----
  createSelfEvaluation: { body: INVALID, ok: 400, scoped: { unit: 403 }, outBody: (w) => ({ objectId: w.objectId }) },
  listSelfEvaluations: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: UNIT_DEPT_403, shows: (body, w) => has(w.selfEvaluationId)(body) },
  getSelfEvaluation: { params: id('selfEvaluationId'), ok: 200, scoped: UNIT_DEPT_403 },
  updateSelfEvaluation: { params: id('selfEvaluationId'), body: INVALID, ok: 400, scoped: { unit: 403 }, outBody: (w) => ({ executedWan: 800, rows: [{ rowId: w.rowIds[0], actual: 1 }] }) },
  submitSelfEvaluation: { params: id('selfEvaluationId'), scoped: { unit: 403 } },
  drawReviewSample: { body: INVALID, ok: 400 },
  getReviewSample: { params: () => ({ id: NONE }) },
  analyzeSelfEvaluationTable: { body: INVALID, ok: 400 },
  getSelfEvaluationReviewFindings: { params: id('selfEvaluationId'), ok: 200, scoped: UNIT_DEPT_403 },
  // The matrix's self-evaluation is a draft, which the findings list leaves out: nothing to show.
  listReviewFindings: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: UNIT_DEPT_403 },
  reviewSelfEvaluation: { params: id('selfEvaluationId'), body: INVALID, ok: 400 },
  getEvaluationCoverage: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: { department: 403 }, shows: showsObject },
  listEvaluationCoverageMissing: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: { department: 403 }, shows: showsObject },
  verifyEvaluationViews: { query: yearQ, ok: 200 },
  rebuildEvaluationViews: { body: INVALID, ok: 400 },
  createKeyEvaluation: {
    body: INVALID,
    ok: 400,
    scoped: { department: 403 },
    outBody: (w) => ({
      objectId: w.objectId,
      evaluatorType: 'department',
      evaluator: '越权评价',
      rows: [
        { part: 'decision', name: '决策', weight: 25, score: 20 },
        { part: 'process', name: '过程', weight: 25, score: 20 },
        { part: 'output', name: '产出', weight: 25, score: 20 },
        { part: 'benefit', name: '效益', weight: 25, score: 20 },
      ],
      problems: [],
      recommendations: [],
    }),
  },
  listKeyEvaluations: { query: yearQ, ok: 200, hiddenFrom: ['department'], shows: (body, w) => has(w.keyEvaluationId)(body) },
  getKeyEvaluation: { params: id('keyEvaluationId'), ok: 200, scoped: UNIT_DEPT_403 },
  answerKeyEvaluation: { params: id('keyEvaluationId'), body: INVALID, ok: 400, scoped: { department: 403 }, outBody: () => ({ text: '越权反馈' }) },
  // Supervisors only, region-wide; the invalid body is refused (400) before the People's Congress
  // check (supervisoryBody congress), which test/e2e/evaluation.test.ts covers (audit, no body: 403).
  rateKeyEvaluation: { params: id('keyEvaluationId'), body: INVALID, ok: 400 },
  getEvaluationRules: { params: year },
  putEvaluationRules: { params: year, body: INVALID, ok: 400 },
  listEvaluationRuleVersions: { params: year },

  // ---- accountability ----
  getTimeline: { params: (w) => ({ objectId: w.objectId }), ok: 200 },
  searchTimeline: { query: yearDeptA, ok: 200 },
  createAssessment: { body: INVALID, ok: 400 },
  listAssessments: { query: yearQ, ok: 200, hiddenFrom: ['department'], shows: (body, w) => has(w.assessmentId)(body) },
  getAssessment: { params: (w) => ({ assessmentId: w.assessmentId }), ok: 200, scoped: { department: 403 } },
  enterAssessmentValues: { params: (w) => ({ assessmentId: w.assessmentId }), body: INVALID, ok: 400 },
  recomputeAssessment: { params: (w) => ({ assessmentId: w.assessmentId }) },
  publishAssessment: { params: (w) => ({ assessmentId: w.assessmentId }) },
  orderRectification: { body: INVALID, ok: 400 },
  fileAuditFindings: { body: INVALID, ok: 400 },
  listRectifications: { query: yearQ, ok: 200, outQuery: yearDeptA, scoped: UNIT_DEPT_403, shows: (body, w) => has(w.orderId)(body) },
  getRectification: { params: (w) => ({ orderId: w.orderId }), ok: 200, scoped: UNIT_DEPT_403 },
  submitRectificationEvidence: { params: (w) => ({ orderId: w.orderId }), body: INVALID, ok: 400, scoped: UNIT_DEPT_403, outBody: () => ({ text: '越权提交整改材料' }) },
  reviewRectification: { params: (w) => ({ orderId: w.orderId }), body: INVALID, ok: 400 },
  verifyRectification: { params: (w) => ({ orderId: w.orderId }), ok: 200, scoped: UNIT_DEPT_403 },
  openAccountabilityCase: { body: INVALID, ok: 400 },
  listAccountabilityCases: { query: yearQ, ok: 200 },
  getAccountabilityCase: { params: (w) => ({ caseId: w.caseId }), ok: 200 },
  addAccountabilityCaseEntry: { params: (w) => ({ caseId: w.caseId }), body: INVALID, ok: 400 },
  decideAccountabilityCase: { params: (w) => ({ caseId: w.caseId }), body: INVALID, ok: 400 },
  closeAccountabilityCase: { params: (w) => ({ caseId: w.caseId }), body: INVALID, ok: 400 },
  verifyAccountabilityCase: { params: (w) => ({ caseId: w.caseId }), ok: 200 },
  getAccountabilityRules: { params: year },
  putAccountabilityRules: { params: year, body: INVALID, ok: 400 },
  listAccountabilityRuleVersions: { params: year },
  createAlertSubscription: { body: INVALID, ok: 400 },
  listAlertSubscriptions: { ok: 200, hiddenFrom: ['supervisor'], shows: (body, w) => has(w.subscriptionId)(body) },
  getAlertSubscription: { params: (w) => ({ subscriptionId: w.subscriptionId }), ok: 200, scoped: { supervisor: 404 } },
  // Real writes for supervisor A (rotating and deactivating its own subscription are repeatable).
  deactivateAlertSubscription: { params: (w) => ({ subscriptionId: w.subscriptionId }), scoped: { supervisor: 404 } },
  rotateAlertSubscriptionSecret: { params: (w) => ({ subscriptionId: w.subscriptionId }), scoped: { supervisor: 404 } },
  listAlerts: { ok: 200, hiddenFrom: ['supervisor'], shows: (body, w) => has(w.alertId)(body) },
  getAlert: { params: (w) => ({ alertId: w.alertId }), ok: 200, scoped: { supervisor: 404 } },
  readAlert: { params: (w) => ({ alertId: w.alertId }), ok: 200, scoped: { supervisor: 404 } },
  acknowledgeAlert: { params: (w) => ({ alertId: w.alertId }), body: INVALID, ok: 400, scoped: { supervisor: 404 }, outBody: () => ({}) },
  createDisclosure: { body: INVALID, ok: 400 },
  listDisclosures: { ok: 200 },
  withdrawDisclosure: { params: (w) => ({ disclosureId: w.disclosureId }), body: INVALID, ok: 400 },
  listPublicDisclosures: { ok: 200 },
  getPublicDisclosure: { params: (w) => ({ disclosureId: w.disclosureId }), ok: 200 },
  getCongressReport: { params: year, ok: 200 },
  verifyAccountabilityViews: { query: yearQ, ok: 200 },
  rebuildAccountabilityViews: { body: INVALID, ok: 400 },
  getCongressReportHtml: { params: year, ok: 200 },
};

/** The path with its `{name}` parameters filled in; throws naming a parameter the fixture lacks. */
export function fillPath(path: string, params: Record<string, string>, operationId: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${operationId}: the authorization fixture gives no value for path parameter {${name}}`);
    return encodeURIComponent(value);
  });
}
