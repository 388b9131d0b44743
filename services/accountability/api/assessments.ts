/** Implementations of the assessment (考核) routes. */
import { Problem, problems } from '../../../shared/errors.ts';
import { conditionFailedAt, guardConcurrentUpdate } from '../../../shared/conditions.ts';
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import {
  assessmentId,
  entryAllowed,
  isLowerLevelRegion,
  makeEntry,
  rankByTotal,
  withEntries,
  withSheet,
  type AssesseeType,
  type Assessment,
  type AssessmentFacts,
  type ObjectFigures,
  type Entry,
} from '../domain/assessment.ts';
import { assessmentPublished } from '../events.ts';
import type { assessmentRoutes } from '../routes/assessments.ts';
import * as store from '../store/assessments.ts';
import { disclosureStats } from '../store/disclosure.ts';
import { currentAccountabilityRules } from '../store/rules.ts';
import { rectificationStats } from '../store/rectifications.ts';
import { objectFigures } from '../store/summary-view.ts';
import { eventContextOf } from '../../../shared/http/event-context.ts';

const reply = (a: Assessment, status?: number) => ({ ...(status ? { status } : {}), body: a, headers: { etag: etagOf(a.id, a.version) } });

/**
 * What a sheet is computed from, read from the summaries view (O(departments) items). A
 * department: its objects' figures in this region, its rectification orders and its
 * disclosures. A lower-level region: the figures of its objects whose events were forwarded
 * here; its rectifications and disclosures are kept in its own system, so those indicators are
 * missing and finance enters them.
 */
async function factsFor(region: string, year: number, assessee: { type: AssesseeType; code: string }): Promise<AssessmentFacts & { figures: ObjectFigures }> {
  if (assessee.type === 'region') return { figures: await objectFigures(assessee.code, year) };
  const [figures, rectification, disclosure] = await Promise.all([
    objectFigures(region, year, assessee.code),
    rectificationStats(region, year, assessee.code),
    disclosureStats(region, year, assessee.code),
  ]);
  return { figures, rectification, disclosure };
}

const objectsOf = (facts: { figures: ObjectFigures }) => facts.figures.counts.objects ?? 0;

/** The sheet as the caller may see it: finance and supervisors of the region all; a department its own published ones. */
async function scoped(id: string, ctx: RequestContext): Promise<Assessment> {
  const found = await store.getAssessment(id);
  if (!found || found.region !== ctx.deploymentRegion) throw problems.notFound(`Assessment ${id}`);
  if (ctx.actor.role === 'department') {
    if (found.assessee.type !== 'department' || found.assessee.code !== ctx.actor.department) throw problems.forbidden(`Assessment ${id} is of ${found.assessee.type} ${found.assessee.code}; a department sees only its own`);
    if (found.status !== 'published') throw problems.forbidden(`Assessment ${id} is not published yet; a department sees its assessment once finance publishes it`);
  }
  return found;
}

function requireDraft(a: Assessment): void {
  if (a.status !== 'draft') throw problems.invalidState(`Assessment ${a.id} was published on ${a.publication?.at ?? '?'}; a published sheet is frozen`);
}

const ratioText = (e: Entry, weight: number) => ('score' in e.given ? `score ${e.given.score} of ${weight}` : `ratio ${e.given.ratio}`);

export const assessmentsApi: Implementations<typeof assessmentRoutes> = {
  createAssessment: async ({ body, ctx }) => {
    const region = ctx.deploymentRegion;
    const { type, code, name } = body.assessee;
    if (type === 'region' && !isLowerLevelRegion(region, code)) {
      throw problems.validation([{ field: 'body.assessee.code', message: `must be the division code of a region below ${region} (finance assesses the next level down)` }]);
    }
    if (type === 'department' && /^\d{6}$/.test(code)) {
      throw problems.validation([{ field: 'body.assessee.code', message: 'a 6-digit code is a division: use type region for a lower-level finance department' }]);
    }
    const id = assessmentId(body.fiscalYear, type, code);
    const [{ rules, version: paramsVersion }, facts] = await Promise.all([currentAccountabilityRules(region, body.fiscalYear), factsFor(region, body.fiscalYear, { type, code })]);
    const now = new Date().toISOString();
    const draft: Assessment = withSheet(
      {
        id,
        version: 1,
        region,
        fiscalYear: body.fiscalYear,
        assessee: { type, code, name },
        status: 'draft',
        sheet: { indicators: rules.assessment.indicators, gradeBounds: rules.assessment.gradeBounds, paramsVersion },
        entries: {},
        indicators: [],
        total: 0,
        missing: [],
        computedAt: now,
        createdAt: now,
        createdBy: ctx.actor.sub,
        updatedAt: now,
        audit: [],
      },
      facts,
      now,
    );
    draft.audit = [{ at: now, by: ctx.actor.sub, action: 'created', detail: `computed from ${objectsOf(facts)} object summaries (parameters v${paramsVersion}); missing: ${draft.missing.join(', ') || 'none'}` }];
    const response = { ...reply(draft, 201), status: 201, headers: { etag: etagOf(id, 1), location: `/v1/accountability/assessments/${id}` } };
    try {
      await store.createAssessment(draft, ctx.idempotency ? [ctx.idempotency.recordItem(response)] : []);
    } catch (error) {
      if (ctx.idempotency && conditionFailedAt(error, 1)) throw error;
      if (conditionFailedAt(error, 0)) throw new Problem(409, 'already-exists', `The ${body.fiscalYear} assessment of ${type} ${code} exists: ${id}`);
      throw error;
    }
    return response;
  },

  listAssessments: async ({ query, ctx }) => {
    const region = ctx.deploymentRegion;
    const isDepartment = ctx.actor.role === 'department';
    if (isDepartment && !ctx.actor.department) throw problems.forbidden('The token carries no department claim');
    if (isDepartment && query.type === 'region') throw problems.forbidden('A department sees only its own assessment');
    const sheets = await store.listAssessments(region, query.year, isDepartment ? 'department' : query.type);
    // Ranks: among the published sheets of the same year and assessee type.
    const ranks = new Map<string, { rank: number; rankedAmong: number }>();
    for (const type of ['department', 'region'] as const) {
      const published = sheets.filter((s) => s.status === 'published' && s.assessee.type === type);
      for (const r of rankByTotal(published)) ranks.set(r.id, { rank: r.rank, rankedAmong: published.length });
    }
    const visible = isDepartment ? sheets.filter((s) => s.assessee.type === 'department' && s.assessee.code === ctx.actor.department && s.status === 'published') : sheets;
    const items = visible
      .map((s) => ({ ...s, ...(ranks.get(s.id) ?? {}) }))
      .sort((a, b) => (a.assessee.type === b.assessee.type ? (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.assessee.code.localeCompare(b.assessee.code) : a.assessee.type.localeCompare(b.assessee.type)));
    return { body: { items } };
  },

  getAssessment: async ({ params, ctx }) => reply(await scoped(params.assessmentId, ctx)),

  enterAssessmentValues: async ({ params, body, ctx }) => {
    const current = await scoped(params.assessmentId, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    requireDraft(current);
    const now = new Date().toISOString();
    const errors: { field: string; message: string }[] = [];
    const entries: Record<string, Entry> = {};
    const seen = new Set<string>();
    body.entries.forEach((input, i) => {
      const field = `body.entries.${i}`;
      const line = current.indicators.find((l) => l.code === input.code);
      if (!line) return void errors.push({ field: `${field}.code`, message: `${input.code} is not an indicator of this sheet (${current.indicators.map((l) => l.code).join(', ')})` });
      if (seen.has(input.code)) return void errors.push({ field: `${field}.code`, message: `${input.code} is entered twice` });
      seen.add(input.code);
      if (!entryAllowed(line)) return void errors.push({ field: `${field}.code`, message: `${input.code} is computed from the data (${line.explanation}); it cannot be entered` });
      const made = makeEntry(line.weight, input, ctx.actor.sub, now, field);
      if ('errors' in made) errors.push(...made.errors);
      else entries[input.code] = made.entry;
    });
    if (errors.length) throw problems.validation(errors);
    const applied = withEntries(current, entries);
    const next: Assessment = {
      ...applied,
      version: current.version + 1,
      updatedAt: now,
      audit: [
        ...current.audit,
        ...Object.entries(entries).map(([code, e]) => {
          const before = current.entries[code];
          const weight = current.indicators.find((l) => l.code === code)?.weight ?? 0;
          return { at: now, by: ctx.actor.sub, action: 'entered' as const, detail: `${code}: ${ratioText(e, weight)}${before ? ` (was ${ratioText(before, weight)} by ${before.by})` : ''}; reason: ${e.reason}` };
        }),
      ],
    };
    await guardConcurrentUpdate('assessment', () => store.updateAssessment(next, current.version));
    return reply(next);
  },

  recomputeAssessment: async ({ params, ctx }) => {
    const current = await scoped(params.assessmentId, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    requireDraft(current);
    const now = new Date().toISOString();
    const facts = await factsFor(current.region, current.fiscalYear, current.assessee);
    const refreshed = withSheet(current, facts, now);
    const changed = refreshed.indicators.filter((l, i) => l.ratio !== current.indicators[i]?.ratio || l.status !== current.indicators[i]?.status).map((l) => `${l.code} ${current.indicators.find((c) => c.code === l.code)?.ratio ?? 'missing'} → ${l.ratio ?? 'missing'}`);
    const next: Assessment = {
      ...refreshed,
      version: current.version + 1,
      updatedAt: now,
      audit: [...current.audit, { at: now, by: ctx.actor.sub, action: 'recomputed', detail: `from ${objectsOf(facts)} object summaries; ${changed.length ? `changed: ${changed.join('; ')}` : 'nothing changed'}` }],
    };
    await guardConcurrentUpdate('assessment', () => store.updateAssessment(next, current.version));
    return reply(next);
  },

  publishAssessment: async ({ params, ctx }) => {
    const current = await scoped(params.assessmentId, ctx);
    checkIfMatch(ctx.headers['if-match'], current.id, current.version);
    requireDraft(current);
    if (current.missing.length || !current.grade) {
      throw new Problem(422, 'assessment-incomplete', `The sheet cannot be published while ${current.missing.length} indicator(s) are missing: enter them first`, {
        errors: current.missing.map((code) => ({ field: `indicators.${code}`, message: `missing: ${current.indicators.find((l) => l.code === code)?.note ?? 'no data'}; enter a ratio or score with a reason` })),
      });
    }
    const at = new Date().toISOString();
    const peers = (await store.publishedAssessments(current.region, current.fiscalYear, current.assessee.type)).filter((a) => a.id !== current.id);
    const ranked = rankByTotal([...peers, current]);
    const rank = ranked.find((r) => r.id === current.id)?.rank ?? 1;
    const event = assessmentPublished(current, { grade: current.grade, rank, rankedAmong: ranked.length, at, by: ctx.actor.sub }, eventContextOf(ctx));
    const next: Assessment = {
      ...current,
      status: 'published',
      version: current.version + 1,
      updatedAt: at,
      publication: { at, by: ctx.actor.sub, rank, rankedAmong: ranked.length, eventId: event.detail.meta.eventId },
      audit: [...current.audit, { at, by: ctx.actor.sub, action: 'published', detail: `total ${current.total}, grade ${current.grade}, rank ${rank} of ${ranked.length} published at the time` }],
    };
    await guardConcurrentUpdate('assessment', () => store.updateAssessment(next, current.version, [event]));
    return reply(next);
  },
};
