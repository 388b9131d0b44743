/**
 * The scheduled check of a service's maintained views (its `views` function, nightly): each view
 * of the fiscal years still in use is verified against a full recomputation from its sources, and
 * a view that differs is rebuilt from them and verified again. The same work as
 * `npm run rebuild-views` and the `…/views/verify|rebuild` routes, run by the platform instead of
 * a person: a view that drifted (a bug, a restore of the table, items written by hand) is repaired
 * by the next morning, and the log says what differed.
 *
 * Years: a year's objects are declared the autumn before it, monitored during it and evaluated
 * the year after, so the views of last year, this year and next year are the ones still changing.
 * A manual invocation may name the years (`{"fiscalYears": [2027]}`).
 */
import { ENV_KEYS, requireEnv } from '../env.ts';
import { logger } from '../logger.ts';

/** One maintained view of one region and year, with what checks and rebuilds it. */
export interface MaintainedView<V extends string = string> {
  view: V;
  region: string;
  fiscalYear: number;
  verify(): Promise<string[]>;
  rebuild(): Promise<{ deleted: number; written: number }>;
}

export interface ViewCheck {
  view: string;
  region: string;
  fiscalYear: number;
  /** Differences found before any rebuild. */
  differences: number;
  rebuilt: boolean;
  /** Differences left after the rebuild (0 unless writes raced it; the next run looks again). */
  differencesAfter: number;
}

/** The fiscal years still changing on `now`'s date (Beijing time decides the year). */
export function yearsInUse(now: Date): number[] {
  const year = new Date(now.getTime() + 8 * 3_600_000).getUTCFullYear();
  return [year - 1, year, year + 1];
}

/** The years a scheduled event or a manual invocation asks for. */
export function yearsAsked(event: unknown, now: Date): number[] {
  const named = (event as { fiscalYears?: unknown } | undefined)?.fiscalYears;
  if (Array.isArray(named) && named.length && named.every((y) => Number.isInteger(y) && y >= 2000 && y <= 2100)) return named as number[];
  const time = (event as { time?: unknown } | undefined)?.time;
  return yearsInUse(typeof time === 'string' && !Number.isNaN(Date.parse(time)) ? new Date(time) : now);
}

/** Verifies each view, rebuilds the ones that differ, and logs each result (differences named, the first 20). */
export async function checkAndRepair(views: readonly MaintainedView[]): Promise<ViewCheck[]> {
  const out: ViewCheck[] = [];
  for (const v of views) {
    const differences = await v.verify();
    if (differences.length === 0) {
      out.push({ view: v.view, region: v.region, fiscalYear: v.fiscalYear, differences: 0, rebuilt: false, differencesAfter: 0 });
      continue;
    }
    logger.warn('maintained view differs from its sources; rebuilding', { view: v.view, region: v.region, fiscalYear: v.fiscalYear, differences: differences.length, first: differences.slice(0, 20) });
    const rebuilt = await v.rebuild();
    const after = await v.verify();
    logger.info('maintained view rebuilt', { view: v.view, region: v.region, fiscalYear: v.fiscalYear, ...rebuilt, differencesAfter: after.length });
    out.push({ view: v.view, region: v.region, fiscalYear: v.fiscalYear, differences: differences.length, rebuilt: true, differencesAfter: after.length });
  }
  return out;
}

/** The maintenance routes' answers (shared/views/maintenance-routes.ts) for a service's list of views. */
export async function verifyAll<V extends string>(views: readonly MaintainedView<V>[]) {
  const items = [];
  for (const v of views) {
    const differences = await v.verify();
    items.push({ view: v.view, region: v.region, fiscalYear: v.fiscalYear, consistent: differences.length === 0, differences });
  }
  return items;
}

export async function rebuildAll<V extends string>(views: readonly MaintainedView<V>[]) {
  const items = [];
  for (const v of views) {
    const rebuilt = await v.rebuild();
    const differences = await v.verify();
    items.push({ view: v.view, region: v.region, fiscalYear: v.fiscalYear, consistent: differences.length === 0, differences, ...rebuilt });
  }
  return items;
}

/** The handler of a service's scheduled `views` function, over the service's list of views. */
export function scheduledViewCheck(maintainedViews: (region: string, year: number) => Promise<readonly MaintainedView[]>) {
  return async (event: unknown): Promise<{ checked: ViewCheck[] }> => {
    const region = requireEnv(ENV_KEYS.regionCode);
    const checked: ViewCheck[] = [];
    for (const year of yearsAsked(event, new Date())) checked.push(...(await checkAndRepair(await maintainedViews(region, year))));
    return { checked };
  };
}
