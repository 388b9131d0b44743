/** Implementations of the disclosure routes: finance discloses and withdraws; the public reads. */
import type { Subject } from '../../../events/envelope.ts';
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems, Problem } from '../../../shared/errors.ts';
import { newTimeOrderedId } from '../../../shared/ids.ts';
import { getAssessment } from '../store/assessments.ts';
import * as store from '../store/disclosure.ts';
import {
  assessmentProjection,
  EVALUATION_KINDS,
  evaluationProjection,
  headingOf,
  KIND_LABELS,
  latest,
  targetsProjection,
  type DisclosureKind,
  type DisclosureRecord,
  type DisclosureProjection,
  type EvaluationSource,
  type TargetSnapshotSource,
} from '../domain/disclosure.ts';
import type { TimelineEntry } from '../domain/timeline.ts';
import { disclosurePublished, disclosureWithdrawn } from '../events.ts';
import type { disclosureRoutes } from '../routes/disclosure.ts';
import { listTimeline } from '../store/timeline.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';

/** Every timeline entry of an object (read-only; pages of 100). */
async function timelineOf(objectId: string): Promise<TimelineEntry[]> {
  const entries: TimelineEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTimeline(objectId, 100, cursor);
    entries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return entries;
}

interface Source {
  projection: DisclosureProjection;
  sourceId: string;
  subject: Subject;
}

const notReady = (field: string, message: string) =>
  new Problem(409, 'not-ready-for-disclosure', message, { errors: [{ field, message }] });

async function objectSource(kind: Exclude<DisclosureKind, 'assessment'>, objectId: string, ctx: RequestContext): Promise<Source> {
  const entries = (await timelineOf(objectId)).filter((e) => e.region === ctx.deploymentRegion);
  if (!entries.length) throw problems.notFound(`Object ${objectId}`);
  const subject = entries[0]!.subject;
  if (kind === 'targets') {
    const approved = latest(entries.filter((e) => e.detailType === 'TargetApproved' || e.detailType === 'TargetRevised'));
    if (!approved) throw notReady('body.objectId', `Object ${objectId} has no approved targets yet: only approved targets can be disclosed`);
    const snapshot = (approved.data as { snapshot: TargetSnapshotSource }).snapshot;
    return { projection: targetsProjection(snapshot), sourceId: objectId, subject };
  }
  const accepted = EVALUATION_KINDS[kind];
  const completed = latest(entries.filter((e) => e.detailType === 'EvaluationCompleted' && accepted.includes((e.data as EvaluationSource).kind)));
  if (!completed) {
    const what = kind === 'key_evaluation' ? 'no completed key evaluation' : 'no completed self-evaluation';
    throw notReady('body.objectId', `Object ${objectId} has ${what} yet`);
  }
  return { projection: evaluationProjection(kind, completed.data as EvaluationSource), sourceId: objectId, subject };
}

async function assessmentSource(assessmentId: string, ctx: RequestContext): Promise<Source> {
  const a = await getAssessment(assessmentId);
  if (!a || a.region !== ctx.deploymentRegion) throw problems.notFound(`Assessment ${assessmentId}`);
  if (a.status !== 'published') throw notReady('body.assessmentId', `Assessment ${assessmentId} is not published yet: only published assessment results can be disclosed`);
  const projection = assessmentProjection({
    fiscalYear: a.fiscalYear,
    assessee: a.assessee,
    status: a.status,
    indicators: a.indicators as unknown as Record<string, unknown>[],
    total: a.total,
    ...(a.grade ? { grade: a.grade } : {}),
    ...(a.publication ? { rank: a.publication.rank, publishedAt: a.publication.at } : {}),
  });
  return { projection, sourceId: assessmentId, subject: { type: 'assessment', id: assessmentId } };
}

function sourceRef(body: { kind: DisclosureKind; objectId?: string | undefined; assessmentId?: string | undefined }): { field: 'objectId' | 'assessmentId'; id: string } {
  const wanted = body.kind === 'assessment' ? 'assessmentId' : 'objectId';
  const other = wanted === 'objectId' ? 'assessmentId' : 'objectId';
  const errors = [
    ...(body[wanted] ? [] : [{ field: `body.${wanted}`, message: `required for kind ${body.kind}` }]),
    ...(body[other] ? [{ field: `body.${other}`, message: `not used for kind ${body.kind}: send ${wanted}` }] : []),
  ];
  if (errors.length) throw problems.validation(errors);
  return { field: wanted, id: body[wanted]! };
}

export const disclosureApi: Implementations<typeof disclosureRoutes> = {
  createDisclosure: async ({ body, ctx }) => {
    const ref = sourceRef(body);
    const source = body.kind === 'assessment' ? await assessmentSource(ref.id, ctx) : await objectSource(body.kind, ref.id, ctx);
    const now = new Date();
    const heading = headingOf(source.projection);
    const record: DisclosureRecord = {
      id: newTimeOrderedId('dsc', now),
      kind: body.kind,
      sourceId: source.sourceId,
      region: ctx.deploymentRegion,
      ...heading,
      status: 'published',
      content: source.projection,
      version: 1,
      publishedAt: now.toISOString(),
      publishedBy: ctx.actor.sub,
    };
    const event = disclosurePublished(record, source.subject, eventContextOf(ctx, now));
    const reply = { status: 201, body: record, headers: { location: `/v1/accountability/public/disclosures/${record.id}` } };
    try {
      await store.createDisclosure(record, event, ctx.idempotency ? [ctx.idempotency.recordItem(reply)] : []);
    } catch (error) {
      if (error instanceof store.AlreadyDisclosed) {
        throw new Problem(409, 'already-disclosed', `The ${KIND_LABELS[body.kind]} of ${ref.id} is already disclosed${error.disclosureId ? ` (${error.disclosureId})` : ''}: withdraw it first to disclose it again`, {
          errors: [{ field: `body.${ref.field}`, message: 'already disclosed' }],
        });
      }
      throw error;
    }
    return reply;
  },

  listDisclosures: async ({ query, ctx }) => {
    const page = await store.listDisclosures(
      ctx.deploymentRegion,
      { ...(query.kind ? { kind: query.kind } : {}), ...(query.year ? { year: query.year } : {}), ...(query.status ? { status: query.status } : {}) },
      pageSize(query.limit),
      query.cursor,
    );
    return { body: page };
  },

  withdrawDisclosure: async ({ params, body, ctx }) => {
    const record = await store.getDisclosure(params.disclosureId);
    if (!record || record.region !== ctx.deploymentRegion) throw problems.notFound(`Disclosure ${params.disclosureId}`);
    if (record.status === 'withdrawn') throw problems.invalidState(`Disclosure ${record.id} was already withdrawn on ${record.withdrawnAt}`);
    const now = new Date();
    const withdrawn: DisclosureRecord = { ...record, status: 'withdrawn', version: record.version + 1, withdrawnAt: now.toISOString(), withdrawnBy: ctx.actor.sub, withdrawReason: body.reason };
    const event = disclosureWithdrawn(record, withdrawn, eventContextOf(ctx, now));
    if (!(await store.withdrawDisclosure(record, withdrawn, event))) throw problems.conflict(`Disclosure ${record.id} changed meanwhile (withdrawn by someone else?): read it again`);
    return { body: withdrawn };
  },

  listPublicDisclosures: async ({ query, ctx }) => {
    const page = await store.listPublicDisclosures(
      ctx.deploymentRegion,
      { ...(query.kind ? { kind: query.kind } : {}), ...(query.year ? { year: query.year } : {}), ...(query.department ? { department: query.department } : {}) },
      pageSize(query.limit),
      query.cursor,
    );
    return { body: page, headers: { 'cache-control': 'no-store' } };
  },

  getPublicDisclosure: async ({ params, ctx }) => {
    const item = await store.getPublicDisclosure(ctx.deploymentRegion, params.disclosureId);
    // The same answer for a withdrawn, unknown, malformed or foreign id: nothing tells them apart.
    if (!item) throw problems.notFound('Disclosure');
    return { body: item };
  },
};
