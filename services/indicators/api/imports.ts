/** Implementations of the import routes: start an import (jobs/import.ts) and report its progress. */
import { problems } from '../../../shared/errors.ts';
import type { Implementations } from '../../../shared/http/api.ts';
import { runImport } from '../jobs/import.ts';
import type { importRoutes } from '../routes/imports.ts';
import { getImportJob } from '../store/imports.ts';
import { eventContext } from './access.ts';

/** A queued import without progress for this long is reported as stalled. */
const STALLED_AFTER_MS = 15 * 60_000;

export const importsApi: Implementations<typeof importRoutes> = {
  importIndicators: async ({ query, body, ctx }) => {
    const { status, job } = await runImport({
      request: body,
      partial: query.partial === 'true',
      actor: ctx.actor,
      events: eventContext(ctx),
    });
    return { status, body: job, ...(status === 202 ? { headers: { location: `/v1/indicators/imports/${job.jobId}` } } : {}) };
  },

  getImport: async ({ params }) => {
    const job = await getImportJob(params.jobId);
    if (!job) throw problems.notFound(`Import ${params.jobId}`);
    const { startedBy: _by, ...rest } = job;
    // A queued import whose chunks exhausted their retries stops moving; say so instead of
    // leaving the caller polling a job that stays "running".
    const lastProgress = Date.parse(job.updatedAt ?? job.startedAt);
    const stalled = job.status === 'running' && Date.now() - lastProgress > STALLED_AFTER_MS;
    return { body: { ...rest, ...(stalled ? { stalled: true } : {}) } };
  },
};
