/**
 * Matches request paths to manifest routes like API Gateway HTTP APIs do: `{name}` matches one
 * segment, and where several routes match, the one with literal segments earlier wins
 * (`/v1/indicators/vocabulary` before `/v1/indicators/{id}`).
 */
import type { RouteDecl } from '../../shared/manifest.ts';

export interface RouteTarget<T> {
  route: RouteDecl;
  target: T;
}

interface Compiled<T> extends RouteTarget<T> {
  segments: string[];
  /** One char per segment: L literal, P parameter (for precedence). */
  shape: string;
}

export interface RouteMatch<T> extends RouteTarget<T> {
  routeKey: string;
  pathParameters: Record<string, string>;
}

export class RouteTable<T> {
  private readonly routes: Compiled<T>[] = [];
  /**
   * Routes by method and number of segments, most literal first: a request splits its path once
   * and tries only the routes of its own length (the front matches every request, and trying
   * each of some 200 routes with its own split was a visible share of its time).
   */
  private readonly buckets = new Map<string, Compiled<T>[]>();

  add(route: RouteDecl, target: T): void {
    const segments = route.path.split('/').filter(Boolean);
    const key = `${route.method} ${route.path}`;
    if (this.routes.some((r) => `${r.route.method} ${r.route.path}` === key)) throw new Error(`duplicate route ${key}`);
    const compiled = { route, target, segments, shape: segments.map((s) => (s.startsWith('{') ? 'P' : 'L')).join('') };
    this.routes.push(compiled);
    const bucketKey = `${route.method} ${segments.length}`;
    const bucket = [...(this.buckets.get(bucketKey) ?? []), compiled];
    // Literal segments earlier win: 'L' sorts before 'P'.
    bucket.sort((a, b) => (a.shape < b.shape ? -1 : a.shape > b.shape ? 1 : 0));
    this.buckets.set(bucketKey, bucket);
  }

  /** Methods that exist for a path (for 405 vs 404 and CORS preflight). */
  methodsFor(path: string): string[] {
    const parts = segmentsOf(path);
    return this.routes.filter((r) => paramsOf(r, parts) !== undefined).map((r) => r.route.method);
  }

  match(method: string, path: string): RouteMatch<T> | undefined {
    const parts = segmentsOf(path);
    for (const r of this.buckets.get(`${method} ${parts.length}`) ?? []) {
      const params = paramsOf(r, parts);
      if (params) return { route: r.route, target: r.target, routeKey: `${method} ${r.route.path}`, pathParameters: params };
    }
    return undefined;
  }
}

const segmentsOf = (path: string): string[] => path.split('/').filter(Boolean);

function paramsOf(route: Compiled<unknown>, parts: readonly string[]): Record<string, string> | undefined {
  if (parts.length !== route.segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const pattern = route.segments[i] as string;
    const part = parts[i] as string;
    if (pattern.startsWith('{')) {
      let value: string;
      try {
        value = decodeURIComponent(part);
      } catch {
        return undefined;
      }
      params[pattern.slice(1, -1)] = value;
    } else if (pattern !== part) return undefined;
  }
  return params;
}
