/** The monitoring API Lambda: windows, reports, reviews, dashboards, rule parameters, execution data. */
import { randomBytes } from 'node:crypto';
import { createApiHandler, type RequestContext } from '../../../shared/http/api.ts';
import { inScope, ownerPrefixFor } from '../../../shared/http/auth.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { rulesApi } from '../../../shared/http/rules-api.ts';
import { dynamoIdempotencyStore } from '../../../shared/http/idempotency-store.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { Problem, problems } from '../../../shared/errors.ts';
import { conditionFailedAt } from '../../../shared/conditions.ts';
import { buildDashboard, dashboardCsv } from '../domain/dashboard.ts';
import { applyReport, INITIAL_STATE } from '../domain/deviation.ts';
import { assess, buildReport, checkReportInput, inWindowScope, normalizeInput, parseReportId, splitReport, windowLabel, type Report, type ReportInput, type Window } from '../domain/report.ts';
import { defaultMonitoringRules, validateMonitoringRules, type MonitoringRules } from '../domain/rules.ts';
import { reportEvents } from '../events.ts';
import { getExecutedWan } from '../execution-store.ts';
import { ingestImplementations } from './ingest-routes.ts';
import { ingestRoutes } from '../http-ingest.ts';
import { routes } from '../http.ts';
import * as store from '../store.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';


const parameters = rulesApi<MonitoringRules>({
  service: 'monitoring',
  get: store.getRules,
  put: store.putRules,
  list: store.listRuleVersions,
  defaults: defaultMonitoringRules,
  validate: validateMonitoringRules,
});
const currentRules = parameters.current;


const reportReply = (report: Report, status?: number) => ({ ...(status ? { status } : {}), body: report, headers: { etag: etagOf(report.id, report.version) } });

async function requireWindow(id: string, ctx: RequestContext, field?: string): Promise<Window> {
  const window = await store.getWindow(id);
  if (!window || window.region !== ctx.deploymentRegion) {
    if (field) throw problems.validation([{ field, message: `no monitoring window ${id}` }]);
    throw problems.notFound(`Monitoring window ${id}`);
  }
  return window;
}

/** The approved baseline of an object the caller may see (404 when monitoring has no baseline, 403 outside scope). */
async function scopedBaseline(objectId: string, ctx: RequestContext, field?: string): Promise<store.Baseline> {
  const baseline = await store.getBaseline(objectId);
  if (!baseline || baseline.object.region !== ctx.deploymentRegion) {
    const message = `no approved targets of ${objectId} have reached monitoring (an object is monitored once TargetApproved arrives)`;
    if (field) throw problems.validation([{ field, message }]);
    throw problems.notFound(`Monitoring baseline of ${objectId}`);
  }
  if (!inScope(ctx.actor, baseline.object)) throw problems.forbidden(`Object ${objectId} belongs to unit ${baseline.object.unit} of department ${baseline.object.department}; it is outside your scope`);
  return baseline;
}

function requireOwnUnit(baseline: store.Baseline, ctx: RequestContext): void {
  if (ctx.actor.role !== 'unit' || ctx.actor.unit !== baseline.object.unit) throw problems.forbidden(`Only unit ${baseline.object.unit} reports for this object`);
}

const ownerPrefix = (ctx: RequestContext, department: string | undefined) => ownerPrefixFor(ctx.actor, department);

const reportRows = (baseline: store.Baseline) =>
  baseline.rows.map((r) => ({ rowId: r.rowId, name: r.name, operator: r.operator, ...(r.value !== undefined ? { value: r.value } : {}), ...(r.unit ? { unit: r.unit } : {}) }));

/** Checks, assesses and writes a report (new or a correction); a lost race is 409. */
async function writeReport(window: Window, baseline: store.Baseline, raw: ReportInput, previous: Report | undefined, ctx: RequestContext): Promise<Report> {
  const input = normalizeInput(raw);
  const rows = reportRows(baseline);
  const violations = checkReportInput(input, rows);
  if (violations.length) throw problems.validation(violations);
  const [state, { rules }] = await Promise.all([store.getState(baseline.object.id), currentRules(window.region, window.fiscalYear)]);
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
  const { state: nextState, ...outcome } = applyReport(state ?? INITIAL_STATE, window, assessment, input.indicators, rules);
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
  return report;
}

async function existingReport(id: string, ctx: RequestContext): Promise<{ report: Report; baseline: store.Baseline; window: Window }> {
  const keys = parseReportId(id);
  const report = keys ? await store.getReport(keys.windowId, keys.objectId) : undefined;
  if (!keys || !report) throw problems.notFound(`Monitoring report ${id}`);
  const [baseline, window] = await Promise.all([scopedBaseline(keys.objectId, ctx), requireWindow(keys.windowId, ctx)]);
  return { report, baseline, window };
}

export const handler = createApiHandler(
  { ...routes, ...ingestRoutes },
  {
    ...ingestImplementations,

    createWindow: async ({ body, ctx }) => {
      const now = new Date();
      const window: Window = {
        id: `win_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`,
        version: 1,
        region: ctx.deploymentRegion,
        fiscalYear: body.fiscalYear,
        throughMonth: body.throughMonth,
        label: windowLabel(body.throughMonth),
        dueDate: body.dueDate,
        scope: body.scope,
        createdAt: now.toISOString(),
        createdBy: ctx.actor.sub,
      };
      if (body.dueDate.slice(0, 4) < String(body.fiscalYear)) throw problems.validation([{ field: 'body.dueDate', message: `a window of ${body.fiscalYear} cannot be due before that year` }]);
      const reply = { status: 201, body: window, headers: { etag: etagOf(window.id, window.version), location: `/v1/monitoring/windows/${window.id}` } };
      // A retry racing its own first attempt fails on the idempotency record; the API layer replays the first answer.
      await store.createWindow(window, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
      return reply;
    },

    listWindows: async ({ query, ctx }) => ({ body: await store.listWindows(ctx.deploymentRegion, query.year, pageSize(query.limit), query.cursor) }),

    getWindow: async ({ params, ctx }) => {
      const window = await requireWindow(params.id, ctx);
      return { body: window, headers: { etag: etagOf(window.id, window.version) } };
    },

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

    reviewReport: async ({ params, body, ctx }) => {
      const { report, baseline } = await existingReport(params.id, ctx);
      if (ctx.actor.role === 'department' && ctx.actor.department !== baseline.object.department) throw problems.forbidden(`Only department ${baseline.object.department} or finance reviews this report`);
      checkIfMatch(ctx.headers['if-match'], report.id, report.version);
      if (body.outcome !== 'pass' && !body.comments) throw problems.validation([{ field: 'body.comments', message: 'say why the report fails or is referred' }]);
      const review = { stage: ctx.actor.role === 'finance' ? ('finance' as const) : ('department' as const), outcome: body.outcome, ...(body.comments ? { comments: body.comments } : {}), by: ctx.actor.sub, at: new Date().toISOString() };
      const next: Report = { ...report, version: report.version + 1, reviews: [...report.reviews, review] };
      try {
        await store.replaceReportHead(splitReport(next).head, report.version);
      } catch (error) {
        if (conditionFailedAt(error, 0)) throw new Problem(409, 'concurrent-update', 'Someone else changed this report at the same time; read it again and retry');
        throw error;
      }
      return reportReply(next);
    },

    objectMonitoring: async ({ params, ctx }) => {
      const baseline = await scopedBaseline(params.id, ctx);
      const [state, reports] = await Promise.all([store.getState(baseline.object.id), store.listObjectReports(baseline.object.id, 12)]);
      const { receivedAt: _r, ...snapshot } = baseline;
      return {
        body: {
          baseline: snapshot,
          state: {
            ...(state?.lastWindowId ? { lastWindowId: state.lastWindowId } : {}),
            ...(state?.lastLight ? { lastLight: state.lastLight } : {}),
            redWindows: state?.redWindows ?? 0,
            ...(state?.open ? { open: state.open } : {}),
          },
          reports: reports.items,
        },
      };
    },

    dashboard: async ({ params, query, ctx }) => {
      const window = await requireWindow(params.id, ctx);
      const prefix = ownerPrefix(ctx, query.department);
      const department = ctx.actor.role === 'department' ? ctx.actor.department : query.department;
      const [{ rules }, scope, reports] = await Promise.all([
        currentRules(window.region, window.fiscalYear),
        store.allScope(window.region, window.fiscalYear, prefix),
        store.allReportHeads(window.id, prefix),
      ]);
      const objects = scope
        .filter((s) => inWindowScope(window, s, rules))
        .map((s) => ({ objectId: s.objectId, name: s.name, department: s.department, unit: s.unit, annualTotalWan: s.annualTotalWan }));
      const treasury = await getExecutedWan(
        objects.map((o) => o.objectId),
        window.fiscalYear,
        window.throughMonth,
      );
      const dashboard = buildDashboard(window, objects, reports, treasury, rules, department);
      if (query.format === 'csv') {
        return { raw: { contentType: 'text/csv; charset=utf-8', text: dashboardCsv(dashboard.lines) }, headers: { 'content-disposition': `attachment; filename="monitoring-${window.fiscalYear}-${window.throughMonth}.csv"` } };
      }
      const { lines: _lines, ...summary } = dashboard;
      return { body: summary };
    },


    ...parameters.implementations,
  },
  { idempotency: dynamoIdempotencyStore() },
);
