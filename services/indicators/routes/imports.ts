/** Routes of imports: indicators from CSV or JSON, written during the request or queued, and the job's progress. */
import * as z from 'zod/mini';
import { prefixedId } from '../../../shared/pure/fields.ts';
import { defineRoute } from '../../../shared/http/route.ts';

const tag = 'indicators';

/** Lambda's synchronous invocation payload limit is 6 MB; the request and its JSON envelope must fit. */
export const IMPORT_MAX_BYTES = 5_900_000;

export const ImportRequestSchema = z.union([
  z.strictObject({ format: z.literal('csv'), content: z.string().check(z.minLength(1), z.maxLength(IMPORT_MAX_BYTES)), publish: z.optional(z.boolean()) }),
  z.strictObject({ format: z.literal('json'), indicators: z.array(z.unknown()).check(z.minLength(1), z.maxLength(20_000)), publish: z.optional(z.boolean()) }),
]);

const RowErrorSchema = z.object({ line: z.number(), field: z.string(), reason: z.string() });

export const ImportJobSchema = z.object({
  jobId: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  /** `sync`: written during the request (200); `queued`: written in the background (202). */
  mode: z.optional(z.enum(['sync', 'queued'])),
  chunks: z.optional(z.number()),
  total: z.number(),
  processed: z.number(),
  imported: z.number(),
  skipped: z.number(),
  /** The first 500 row errors; `failedRows` counts every bad row. */
  failed: z.array(RowErrorSchema),
  failedRows: z.optional(z.number()),
  ids: z.optional(z.array(z.object({ line: z.number(), id: z.string(), code: z.optional(z.string()) }))),
  startedAt: z.string(),
  updatedAt: z.optional(z.string()),
  finishedAt: z.optional(z.string()),
  /** Set when a queued import has made no progress for 15 minutes: its failed chunks are in the importer's dead-letter queue. */
  stalled: z.optional(z.boolean()),
});

export const importRoutes = {
  importIndicators: defineRoute({
    operationId: 'importIndicators',
    tag,
    method: 'POST',
    path: '/v1/indicators/imports',
    summary:
      'Import indicators from CSV or JSON; every bad row is reported and nothing is imported unless partial=true. Up to 500 rows are written during the request (200); larger files are queued (202) and progress at GET /v1/indicators/imports/{jobId}',
    auth: 'jwt',
    roles: ['finance'],
    query: z.strictObject({ partial: z.optional(z.enum(['true', 'false'])) }),
    body: ImportRequestSchema,
    response: { status: 200, description: 'The finished import job (202 with the running job when queued)', schema: ImportJobSchema },
    problems: [422],
    problemDescriptions: { 422: 'Rows are invalid: `rows` lists every bad row with its line, field and reason; nothing was imported' },
    maxBodyBytes: IMPORT_MAX_BYTES,
  }),
  getImport: defineRoute({
    operationId: 'getImport',
    tag,
    method: 'GET',
    path: '/v1/indicators/imports/{jobId}',
    summary: 'Progress and result of an import',
    auth: 'jwt',
    roles: ['finance'],
    params: z.strictObject({ jobId: prefixedId('imp', 'an import id') }),
    response: { status: 200, description: 'The import job', schema: ImportJobSchema },
    problems: [404],
  }),
};
