/** Monitoring reports: the pre-filled draft, a unit's report and its corrections (lights, deviations, events), lists and revisions. */
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { applyReport, INITIAL_STATE } from '../domain/deviation.ts';
import { assess, buildReport, checkReportInput, inWindowScope, normalizeInput, splitReport, type Report, type ReportInput, type Window } from '../domain/report.ts';
import { reportEvents } from '../events.ts';
import type { reportRoutes } from '../routes/reports.ts';
import { refreshDashboards } from '../store/dashboard-view.ts';
import { getExecutedWan } from '../store/execution-totals.ts';
import { getState, type Baseline } from '../store/objects.ts';
import * as store from '../store/reports.ts';
import { existingReport, ownerPrefix, requireOwnUnit, requireWindow, scopedBaseline } from './access.ts';
import { currentRules } from './rules.ts';

/** A report as a reply: its body and ETag. */
export const reportReply = (report: Report, status?: number) => ({ ...(status ? { status } : {}), body: report, headers: { etag: etagOf(report.id, report.version) } });

const reportRows = (baseline: Baseline) =>
  baseline.rows.map((r) => ({ rowId: r.rowId, name: r.name, operator: r.operator, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.unit ? { unit: r.unit } : {}) }));

/** Checks, assesses and writes a report (new or a correction); a lost race is 409. */
async function writeReport(window: Window, baseline: Baseline, raw: ReportInput, previous: Report | undefined, ctx: RequestContext): Promise<Report> {
  const input = normalizeInput(raw);
  const rows = reportRows(baseline);
  const violations = checkReportInput(input, rows);
  if (violations.length) throw problems.validation(violations);
  const [state, { rules }] = await Promise.all([getState(baseline.object.id), currentRules(window.region, window.fiscalYear)]);
  if (state?.lastThroughMonth !== undefined && state.lastWindowId !== window.id && window.throughMonth <= state.lastThroughMonth) {
    throw new Problem(409, 'window-passed', `Object ${baseline.object.id} already has a report for 1~${state.lastThroughMonth}月; windows move forward, so ${window.label} can no longer be reported`);
  }
  const assessment = assess(input, baseline.amounts.annualTotalWan, window.throughMonth, rows, rules);
  const now = new Date();
  const report = buildReport({
    window,
    object: baseline.object,
    targetVersion: baseline.targetVersion,
    annualBudgetWan: baseline.amounts.annualTotalWan,
    input,
    assessment,
    ...(previous ? { previous } : {}),
    actor: ctx.actor.sub,
    now,
  });
  const money = { budgetWan: input.adjustedBudgetWan ?? baseline.amounts.annualTotalWan, executedWan: input.executedWan, expectedFullYearWan: input.expectedFullYearWan };
  const { state: nextState, ...outcome } = applyReport(state ?? INITIAL_STATE, window, assessment, input.indicators, rules, money);
  const { head, detail } = splitReport(report);
  try {
    await store.writeReport({
      head,
      detail,
      ...(previous ? { previous } : {}),
      state: { ...nextState, version: (state?.version ?? 0) + 1 },
      events: reportEvents(report, window, { state: nextState, ...outcome }, eventContextOf(ctx)),
      ...(ctx.idempotency && !previous ? { extra: [ctx.idempotency.recordItem(reportReply(report, 201) as { status: number; body: Report; headers: Record<string, string> })] } : {}),
    });
  } catch (error) {
    if (ctx.idempotency && !previous && conditionFailedAt(error, 3)) throw error;
    if (conditionFailedAt(error, 0)) {
      throw previous
        ? new Problem(409, 'concurrent-update', 'Someone else corrected this report at the same time; read it again and retry')
        : new Problem(409, 'report-exists', `A report of ${baseline.object.id} for ${window.label} exists; correct it with PUT /v1/monitoring/reports/${report.id}`);
    }
    if (conditionFailedAt(error, previous ? 3 : 2)) throw new Problem(409, 'concurrent-update', `Another report of ${baseline.object.id} was written at the same time; retry`);
    throw error;
  }
  // The window's dashboard shows the report when this reply is read (recomputed from the stored head: idempotent).
  await refreshDashboards(baseline.object.id, [window]);
  return report;
}

export const reportsApi: Implementations<typeof reportRoutes> = {
  reportDraft: async ({ query, ctx }) => {
    const [window, baseline] = await Promise.all([requireWindow(query.windowId, ctx), scopedBaseline(query.objectId, ctx)]);
    const [executed, last] = await Promise.all([getExecutedWan([baseline.object.id], window.fiscalYear, window.throughMonth), store.listObjectReports(baseline.object.id, 12)]);
    const previousHead = last.items.filter((h) => h.throughMonth <= window.throughMonth).at(-1);
    const previous = previousHead ? await store.getReport(previousHead.windowId, baseline.object.id) : undefined;
    const executedWan = executed.get(baseline.object.id);
    return {
      body: {
        windowId: window.id,
        objectId: baseline.object.id,
        targetVersion: baseline.targetVersion,
        annualBudgetWan: baseline.amounts.annualTotalWan,
        ...(executedWan !== undefined ? { executedWan } : {}),
        executedSource: executedWan !== undefined ? ('treasury' as const) : ('none' as const),
        rows: baseline.rows.map((r) => ({ rowId: r.rowId, name: r.name, level1: r.level1, operator: r.operator, ...(r.value !== undefined ? { target: r.value } : {}), ...(r.unit ? { unit: r.unit } : {}) })),
        ...(previous ? { previous } : {}),
      },
    };
  },

  createReport: async ({ body, ctx }) => {
    const [window, baseline] = await Promise.all([requireWindow(body.windowId, ctx, 'body.windowId'), scopedBaseline(body.objectId, ctx, 'body.objectId')]);
    requireOwnUnit(baseline, ctx);
    const { rules } = await currentRules(window.region, window.fiscalYear);
    if (!inWindowScope(window, { objectId: baseline.object.id, fiscalYear: baseline.object.fiscalYear, annualTotalWan: baseline.amounts.annualTotalWan }, rules)) {
      throw problems.validation([{ field: 'body.objectId', message: `${baseline.object.id} is not in the scope of ${window.label} ${window.fiscalYear} (${window.scope.kind} objects)` }]);
    }
    const { windowId: _w, objectId: _o, ...input } = body;
    const report = await writeReport(window, baseline, input, undefined, ctx);
    return { ...reportReply(report, 201), headers: { etag: etagOf(report.id, report.version), location: `/v1/monitoring/reports/${report.id}` } };
  },

  listReports: async ({ query, ctx }) => {
    await requireWindow(query.windowId, ctx);
    const prefix = ownerPrefix(ctx, query.department);
    return {
      body: await store.listReports({ windowId: query.windowId, ...(prefix ? { ownerPrefix: prefix } : {}), ...(query.light ? { light: query.light } : {}), limit: pageSize(query.limit), ...(query.cursor ? { cursor: query.cursor } : {}) }),
    };
  },

  getReport: async ({ params, ctx }) => reportReply((await existingReport(params.id, ctx)).report),

  updateReport: async ({ params, body, ctx }) => {
    const { report, baseline, window } = await existingReport(params.id, ctx);
    requireOwnUnit(baseline, ctx);
    checkIfMatch(ctx.headers['if-match'], report.id, report.version);
    return reportReply(await writeReport(window, baseline, body, report, ctx));
  },

  listReportRevisions: async ({ params, query, ctx }) => {
    const { report } = await existingReport(params.id, ctx);
    return { body: await store.listReportRevisions(report.windowId, report.object.id, pageSize(query.limit), query.cursor) };
  },
};
