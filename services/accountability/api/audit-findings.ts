/**
 * Implementation of audit finding batches: read and check every line (domain/audit-findings.ts),
 * check each named object and owner against what accountability knows, and only when every line
 * is good create one rectification order per line, then record the batch. Order ids derive from
 * the region, batch id and line, and each order is created only if absent, so a retry after a
 * failure part-way completes the batch without doubling any order.
 */
import { createHash } from 'node:crypto';
import type { Implementations } from '../../../shared/http/api.ts';
import { requireSupervisoryBody } from '../../../shared/http/auth.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';
import { Problem } from '../../../shared/errors.ts';
import { findingsFromCsv, findingsFromJson, type AuditFindingLine, type LineProblem } from '../domain/audit-findings.ts';
import { chinaDate, deadlineAfter } from '../domain/rectification.ts';
import { rectificationOrdered } from '../events.ts';
import type { auditFindingRoutes } from '../routes/audit-findings.ts';
import { getAuditBatch, putAuditBatch, type AuditBatch } from '../store/audit-batches.ts';
import { getTrackedObject } from '../store/cases.ts';
import { orderOnce } from '../store/rectifications.ts';
import { currentAccountabilityRules } from '../store/rules.ts';
import { newOrder } from './rectifications.ts';

/** Lines refused: 422 with every problem (the first 200 also as field errors). */
class FindingsRejected extends Problem {
  constructor(readonly rows: LineProblem[], lines: number) {
    const failed = new Set(rows.map((r) => r.line)).size;
    super(422, 'audit-findings-rejected', `${failed} line(s) of ${lines} are invalid; nothing was written. Fix them and send the batch again.`, {
      errors: rows.slice(0, 200).map((r) => ({ field: `line ${r.line}: ${r.field}`, message: r.reason })),
    });
  }

  override toBody(instance?: string, correlationId?: string) {
    return { ...super.toBody(instance, correlationId), rows: this.rows };
  }
}

const contentHash = (body: { format: 'csv'; content: string } | { format: 'json'; findings: unknown[] }) =>
  createHash('sha256')
    .update(`audit-findings/v1\n${body.format}\n${body.format === 'csv' ? body.content : JSON.stringify(body.findings)}`)
    .digest('hex');

/** The order id of a batch line: the same line of the same batch is always the same order. */
const orderIdOf = (region: string, batchId: string, line: number) => `rect_${createHash('sha256').update(`${region}|${batchId}|${line}`).digest('hex').slice(0, 26)}`;

const replay = (batch: AuditBatch) => ({ status: 200, body: batch, headers: { 'idempotent-replayed': 'true' } });

export const auditFindingsApi: Implementations<typeof auditFindingRoutes> = {
  fileAuditFindings: async ({ body, ctx }) => {
    requireSupervisoryBody(ctx.actor, 'audit');
    const hash = contentHash(body);
    const filed = await getAuditBatch(body.batchId);
    if (filed) {
      if (filed.contentHash !== hash || filed.region !== ctx.deploymentRegion) {
        throw new Problem(409, 'audit-batch-conflict', `Batch ${body.batchId} was already filed with different content; nothing was changed. A corrected list needs a new batchId.`, {
          errors: [{ field: 'body.batchId', message: 'already filed with different content' }],
        });
      }
      return replay(filed);
    }

    const now = new Date();
    const today = chinaDate(now);
    const read = body.format === 'csv' ? findingsFromCsv(body.content, today) : findingsFromJson(body.findings, today);
    const problems = [...read.problems];
    // The objects named: known to accountability in this region, and owned as the line says.
    const planned: { line: AuditFindingLine; object?: NonNullable<Awaited<ReturnType<typeof getTrackedObject>>>['object'] }[] = [];
    for (const line of read.lines) {
      if (!line.objectId) {
        planned.push({ line });
        continue;
      }
      const object = (await getTrackedObject(line.objectId))?.object;
      if (!object || object.region !== ctx.deploymentRegion) {
        problems.push({ line: line.line, field: 'objectId', reason: `no events about ${line.objectId} have reached accountability in region ${ctx.deploymentRegion}` });
        continue;
      }
      if (line.department && line.department !== object.department) problems.push({ line: line.line, field: 'department', reason: `${object.id} belongs to department ${object.department}` });
      if (line.unit && line.unit !== object.unit) problems.push({ line: line.line, field: 'unit', reason: `${object.id} belongs to unit ${object.unit ?? '(none)'}` });
      planned.push({ line, object });
    }
    if (problems.length) throw new FindingsRejected(problems.sort((a, b) => a.line - b.line), read.lines.length + new Set(read.problems.map((p) => p.line)).size);

    const rulesByYear = new Map<number, Awaited<ReturnType<typeof currentAccountabilityRules>>>();
    const orders: AuditBatch['orders'] = [];
    for (const { line, object } of planned) {
      const fiscalYear = object?.fiscalYear ?? Number(today.slice(0, 4));
      let rules = rulesByYear.get(fiscalYear);
      if (!rules) rulesByYear.set(fiscalYear, (rules = await currentAccountabilityRules(ctx.deploymentRegion, fiscalYear)));
      const owner = object
        ? { department: object.department, ...(object.unit ? { unit: object.unit } : {}) }
        : { department: line.department as string, ...(line.unit ? { unit: line.unit } : {}) };
      const { order, first } = newOrder({
        id: orderIdOf(ctx.deploymentRegion, body.batchId, line.line),
        now,
        ctx,
        fiscalYear,
        source: { kind: 'audit', reference: line.reference },
        ...(object ? { object } : {}),
        owner,
        issue: line.issue,
        ...(line.requirement ? { requirement: line.requirement } : {}),
        deadline: line.deadline ?? deadlineAfter(now, rules.rules.rectification.deadlineDays),
      });
      // Absent only: a retry of a batch that failed part-way leaves the orders it made as they are.
      await orderOnce(order, first, [rectificationOrdered(order, eventContextOf(ctx))]);
      orders.push({ line: line.line, orderId: order.id, ...(object ? { objectId: object.id } : {}), owner });
    }
    const batch: AuditBatch = { batchId: body.batchId, region: ctx.deploymentRegion, contentHash: hash, format: body.format, orders, filedAt: now.toISOString(), filedBy: ctx.actor.sub };
    if (!(await putAuditBatch(batch))) {
      const other = await getAuditBatch(body.batchId);
      if (other && other.contentHash === hash) return replay(other);
      throw new Problem(409, 'audit-batch-conflict', `Batch ${body.batchId} was filed meanwhile with different content`);
    }
    return { status: 201, body: batch };
  },
};
