/** Implementations of the target routes: write and read the working targets, run the check, read approved versions. */
import type { Implementations, RequestContext } from '../../../shared/http/api.ts';
import { checkIfMatch, etagOf } from '../../../shared/http/etag.ts';
import { pageSize } from '../../../shared/http/schemas.ts';
import { problems, type FieldError } from '../../../shared/errors.ts';
import { guardConcurrentUpdate } from '../../../shared/conditions.ts';
import { exAnteRequired } from '../domain/ex-ante.ts';
import type { SpendingObject } from '../domain/spending-object.ts';
import { passes } from '../domain/target-check.ts';
import { checkObjectTargets, libraryIdsOf, resolveRows, type StoredTargets, type TargetsInput } from '../domain/targets.ts';
import { exAnteReasons, requireEditable } from '../domain/workflow.ts';
import type { targetRoutes } from '../routes/targets.ts';
import { getLibraryIndicators } from '../store/library-indicators.ts';
import * as objectStore from '../store/objects.ts';
import * as targetStore from '../store/targets.ts';
import { ownObject, scopedObject, transition } from './access.ts';
import { historyEntry } from './objects.ts';
import { currentRules } from './rules.ts';

/** Targets as a reply, with the object's ETag. */
export const targetsReply = (objectId: string, targets: StoredTargets, objectVersion: number) => ({
  body: { objectId, ...targets, objectVersion },
  headers: { etag: etagOf(objectId, objectVersion) },
});

/** Resolves targets input for an object: library rows, row ids, regional sets of a transfer payment. */
export async function resolveTargets(object: SpendingObject, input: TargetsInput, ctx: RequestContext, prefix: string): Promise<StoredTargets> {
  const ids = [...input.rows, ...(input.regional ?? []).flatMap((r) => r.rows)].flatMap((r) => (r.indicatorId ? [r.indicatorId] : []));
  const library = await getLibraryIndicators(ids);
  const errors: FieldError[] = [];
  const main = resolveRows(input.rows, library, `${prefix}.rows`);
  errors.push(...main.violations);
  const regional: StoredTargets['regional'] = [];
  if (input.regional?.length) {
    if (object.spendingType !== 'transfer_payment') errors.push({ field: `${prefix}.regional`, message: 'only transfer payments have regional targets' });
    const receiving = new Map((object.receivingRegions ?? []).map((r) => [r.region, r.amountWan]));
    const seen = new Set<string>();
    input.regional.forEach((set, i) => {
      const field = `${prefix}.regional[${i}]`;
      const amountWan = receiving.get(set.region);
      if (amountWan === undefined) errors.push({ field: `${field}.region`, message: `${set.region} is not a receiving region of this transfer payment` });
      if (seen.has(set.region)) errors.push({ field: `${field}.region`, message: `${set.region} has two target sets` });
      seen.add(set.region);
      const rows = resolveRows(set.rows, library, `${field}.rows`);
      errors.push(...rows.violations);
      regional.push({ region: set.region, amountWan: amountWan ?? 0, overallGoal: set.overallGoal, rows: rows.rows });
    });
  }
  if (errors.length) throw problems.validation(errors);
  return {
    overallGoal: input.overallGoal,
    rows: main.rows,
    ...(regional.length ? { regional } : {}),
    updatedAt: new Date().toISOString(),
    updatedBy: ctx.actor.sub,
  };
}

/** The automatic check of an object's targets and its ex-ante requirement, under the current rules. */
export async function runCheck(object: SpendingObject, targets: StoredTargets | undefined) {
  const empty: StoredTargets = { overallGoal: { annual: '' }, rows: [], updatedAt: '', updatedBy: '' };
  const [stored, library] = await Promise.all([currentRules(object.region, object.fiscalYear), getLibraryIndicators(targets ? libraryIdsOf(targets) : [])]);
  const findings = checkObjectTargets(object, targets ?? empty, stored.rules, library);
  const requirement = exAnteRequired({ spendingType: object.spendingType, status: object.lifecycle, proposedForRenewal: object.proposedForRenewal, annualAmountWan: object.amounts.annualTotalWan }, stored.rules);
  return { findings, requirement, rules: stored };
}

export const targetsApi: Implementations<typeof targetRoutes> = {
  putTargets: async ({ params, body, ctx }) => {
    const object = await ownObject(params.id, ctx);
    checkIfMatch(ctx.headers['if-match'], object.id, object.version);
    await transition(() => requireEditable(object, 'Targets can be written'));
    const targets = await resolveTargets(object, body, ctx, 'body');
    const next: SpendingObject = { ...object, version: object.version + 1, updatedAt: targets.updatedAt };
    await guardConcurrentUpdate('object', () =>
      objectStore.changeObject({
        next,
        expectedVersion: object.version,
        history: historyEntry(object, next, ctx, `targets written (${targets.rows.length} rows${targets.regional ? `, ${targets.regional.length} regional sets` : ''})`),
        items: [targetStore.targetsPut(object.id, targets)],
      }),
    );
    return targetsReply(object.id, targets, next.version);
  },

  getTargets: async ({ params, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    const targets = await targetStore.getTargets(object.id);
    if (!targets) throw problems.notFound(`Targets of ${object.id}`);
    return targetsReply(object.id, targets, object.version);
  },

  checkTargets: async ({ params, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    const { findings, requirement, rules } = await runCheck(object, await targetStore.getTargets(object.id));
    const blockers = exAnteReasons(object, requirement, object.exAnte).map((r) => ({ code: r.code, message: r.message }));
    return {
      body: {
        passes: passes(findings) && blockers.length === 0,
        findings,
        blockers,
        exAnte: requirement,
        rules: { region: rules.rules.region, fiscalYear: rules.rules.fiscalYear, version: rules.version },
      },
    };
  },

  listTargetVersions: async ({ params, query, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    return { body: await targetStore.listSnapshots(object.id, pageSize(query.limit), query.cursor) };
  },

  getTargetVersion: async ({ params, ctx }) => {
    const object = await scopedObject(params.id, ctx);
    const snapshot = await targetStore.getSnapshot(object.id, params.version);
    if (!snapshot) throw problems.notFound(`Target version ${params.version} of ${object.id}`);
    return { body: snapshot };
  },
};
