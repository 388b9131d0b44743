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

  add(route: RouteDecl, target: T): void {
    const segments = route.path.split('/').filter(Boolean);
    const key = `${route.method} ${route.path}`;
    if (this.routes.some((r) => `${r.route.method} ${r.route.path}` === key)) throw new Error(`duplicate route ${key}`);
    this.routes.push({ route, target, segments, shape: segments.map((s) => (s.startsWith('{') ? 'P' : 'L')).join('') });
  }

  /** Methods that exist for a path (for 405 vs 404 and CORS preflight). */
  methodsFor(path: string): string[] {
    return this.routes.filter((r) => this.params(r, path) !== undefined).map((r) => r.route.method);
  }

  match(method: string, path: string): RouteMatch<T> | undefined {
    const candidates = this.routes
      .filter((r) => r.route.method === method)
      .map((r) => ({ r, params: this.params(r, path) }))
      .filter((c): c is { r: Compiled<T>; params: Record<string, string> } => c.params !== undefined)
      .sort((a, b) => (a.r.shape < b.r.shape ? -1 : a.r.shape > b.r.shape ? 1 : 0));
    const best = candidates[0];
    if (!best) return undefined;
    return { route: best.r.route, target: best.r.target, routeKey: `${method} ${best.r.route.path}`, pathParameters: best.params };
  }

  private params(route: Compiled<T>, path: string): Record<string, string> | undefined {
    const parts = path.split('/').filter(Boolean);
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
}
