/**
 * Load statistics: every request's latency by route (method and path template, matched against
 * the manifests' routes like the HTTP front does), its status, and why a refusal was expected.
 * A 4xx is "explained" only when the operation that sent it declared that refusal possible
 * (a stale ETag, a lost race, an object not yet propagated); anything else is kept with its
 * body for the report.
 */
import { manifests } from '../../../services/registry.ts';
import { RouteTable } from '../../../infra/local/route-table.ts';
import { percentile, type LatencyStats } from '../report.ts';

const routes = new RouteTable<true>();
for (const manifest of manifests) for (const fn of manifest.functions) for (const route of fn.routes ?? []) routes.add(route, true);

/** `GET /v1/declaration/objects/{id}` for `GET /v1/declaration/objects/obj_...`. */
export function routeKeyOf(method: string, path: string): string {
  const pathname = path.split('?')[0] as string;
  return routes.match(method, pathname)?.routeKey ?? `${method} (no route) ${pathname}`;
}

export interface Outcome {
  routeKey: string;
  status: number;
  ms: number;
  /** The problem type's last segment, e.g. `precondition-failed`. */
  problem?: string;
  /** Why this refusal was expected, when it was. */
  explained?: string;
  detail?: string;
}

export class LoadStats {
  private readonly latencies = new Map<string, number[]>();
  readonly outcomes: Outcome[] = [];
  startedAt = 0;
  endedAt = 0;

  add(outcome: Outcome): void {
    this.outcomes.push(outcome);
    const list = this.latencies.get(outcome.routeKey) ?? [];
    list.push(outcome.ms);
    this.latencies.set(outcome.routeKey, list);
  }

  get requests(): number {
    return this.outcomes.length;
  }

  get serverErrors(): Outcome[] {
    return this.outcomes.filter((o) => o.status >= 500);
  }

  /** 4xx nobody declared possible. */
  get unexplained(): Outcome[] {
    return this.outcomes.filter((o) => o.status >= 400 && o.status < 500 && !o.explained);
  }

  latency(): Record<string, LatencyStats> {
    const result: Record<string, LatencyStats> = {};
    for (const [route, values] of [...this.latencies].sort((a, b) => a[0].localeCompare(b[0]))) {
      result[route] = { count: values.length, p50: Math.round(percentile(values, 50)), p99: Math.round(percentile(values, 99)) };
    }
    return result;
  }

  /** The median latency of all requests, whatever their route. */
  overallMedian(): number {
    return percentile([...this.latencies.values()].flat(), 50);
  }

  /** `status problem (why)` → count, for the notes. */
  refusals(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of this.outcomes.filter((x) => x.status >= 400)) {
      const key = `${o.status} ${o.problem ?? '-'}${o.explained ? ` (${o.explained})` : ' (UNEXPLAINED)'}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  statusCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const o of this.outcomes) counts[String(o.status)] = (counts[String(o.status)] ?? 0) + 1;
    return counts;
  }

  /** Requests per second over the measured window. */
  throughput(): number {
    const seconds = (this.endedAt - this.startedAt) / 1000;
    return seconds > 0 ? Math.round((this.requests / seconds) * 10) / 10 : 0;
  }
}
