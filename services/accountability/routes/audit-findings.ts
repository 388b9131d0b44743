/** Routes of audit findings filed in batches (审计发现问题清单): each line becomes a rectification order. */
import * as z from 'zod/mini';
import { defineRoute } from '../../../shared/http/route.ts';
import { AUDIT_FINDING_COLUMNS } from '../domain/audit-findings.ts';

const tag = 'accountability';
/** Findings in one batch; more go in several batches. */
export const MAX_AUDIT_FINDINGS = 500;
export const AUDIT_BATCH_MAX_BYTES = 1_048_576;
const BatchIdSchema = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,100}$/, "must be audit's own batch reference: letters, digits, . _ : - (at most 100)"));

const AuditBatchSchema = z.object({
  batchId: z.string(),
  region: z.string(),
  format: z.enum(['csv', 'json']),
  orders: z.array(z.object({ line: z.number(), orderId: z.string(), objectId: z.optional(z.string()), owner: z.object({ department: z.string(), unit: z.optional(z.string()) }) })),
  filedAt: z.string(),
  filedBy: z.string(),
});

export const auditFindingRoutes = {
  fileAuditFindings: defineRoute({
    operationId: 'fileAuditFindings',
    tag,
    method: 'POST',
    path: '/v1/accountability/audit-findings',
    summary: `Audit files its findings in a batch (CSV with a header row, or JSON), each becoming a rectification order (source audit) about its object or owner department. Columns: ${AUDIT_FINDING_COLUMNS.join(', ')} (reference and issue required; objectId or department). Every bad line is reported with its line, field and reason and nothing is written; idempotent per batchId (the same content answers the same orders, other content 409). Only a supervisor token of audit (supervisoryBody audit)`,
    auth: 'jwt',
    roles: ['supervisor'],
    body: z.discriminatedUnion('format', [
      z.strictObject({ format: z.literal('csv'), batchId: BatchIdSchema, content: z.string().check(z.minLength(1), z.maxLength(AUDIT_BATCH_MAX_BYTES)) }),
      z.strictObject({ format: z.literal('json'), batchId: BatchIdSchema, findings: z.array(z.unknown()).check(z.minLength(1, 'at least one finding'), z.maxLength(MAX_AUDIT_FINDINGS)) }),
    ]),
    response: { status: 201, description: 'The batch with one order per line (200 with the same orders when the batch was filed before)', schema: AuditBatchSchema },
    problems: [409, 422],
    problemDescriptions: {
      409: 'The batchId was already filed with different content; nothing was changed',
      422: 'Lines are invalid (`rows` lists each with its line, field and reason); nothing was written',
    },
    maxBodyBytes: AUDIT_BATCH_MAX_BYTES,
  }),
};
