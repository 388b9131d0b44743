/** Scope and role checks the monitoring API areas share: a window of this region, an object's baseline in the caller's scope, its own unit. */
import type { RequestContext } from '../../../shared/http/api.ts';
import { inScope, ownerPrefixFor } from '../../../shared/http/auth.ts';
import { problems } from '../../../shared/errors.ts';
import { parseReportId, type Report, type Window } from '../domain/report.ts';
import { getBaseline, type Baseline } from '../store/objects.ts';
import { getReport } from '../store/reports.ts';
import { getWindow } from '../store/windows.ts';

/** A window of this deployment's region (404, or 400 naming `field` when the id came in a body). */
export async function requireWindow(id: string, ctx: RequestContext, field?: string): Promise<Window> {
  const window = await getWindow(id);
  if (!window || window.region !== ctx.deploymentRegion) {
    if (field) throw problems.validation([{ field, message: `no monitoring window ${id}` }]);
    throw problems.notFound(`Monitoring window ${id}`);
  }
  return window;
}

/** The approved baseline of an object the caller may see (404 when monitoring has no baseline, 403 outside scope). */
export async function scopedBaseline(objectId: string, ctx: RequestContext, field?: string): Promise<Baseline> {
  const baseline = await getBaseline(objectId);
  if (!baseline || baseline.object.region !== ctx.deploymentRegion) {
    const message = `no approved targets of ${objectId} have reached monitoring (an object is monitored once TargetApproved arrives)`;
    if (field) throw problems.validation([{ field, message }]);
    throw problems.notFound(`Monitoring baseline of ${objectId}`);
  }
  if (!inScope(ctx.actor, baseline.object)) throw problems.forbidden(`Object ${objectId} belongs to unit ${baseline.object.unit} of department ${baseline.object.department}; it is outside your scope`);
  return baseline;
}

/** Only the object's own unit reports for it. */
export function requireOwnUnit(baseline: Baseline, ctx: RequestContext): void {
  if (ctx.actor.role !== 'unit' || ctx.actor.unit !== baseline.object.unit) throw problems.forbidden(`Only unit ${baseline.object.unit} reports for this object`);
}

/** The owner prefix a list is narrowed to: the caller's own department or unit, or the department asked for. */
export const ownerPrefix = (ctx: RequestContext, department: string | undefined) => ownerPrefixFor(ctx.actor, department);

/** A report by id, with its object's baseline (in the caller's scope) and its window. */
export async function existingReport(id: string, ctx: RequestContext): Promise<{ report: Report; baseline: Baseline; window: Window }> {
  const keys = parseReportId(id);
  const report = keys ? await getReport(keys.windowId, keys.objectId) : undefined;
  if (!keys || !report) throw problems.notFound(`Monitoring report ${id}`);
  const [baseline, window] = await Promise.all([scopedBaseline(keys.objectId, ctx), requireWindow(keys.windowId, ctx)]);
  return { report, baseline, window };
}
