/**
 * HTTP route specifications: method, path, who may call, and the zod schemas of path,
 * query, body and response. One spec feeds the manifest (routes), the API handler
 * (validation, auth), the OpenAPI document and the authorization matrix.
 */
import type * as z from 'zod/mini';
import type { Role } from '../../events/envelope.ts';
import type { HttpMethod, RouteDecl } from '../manifest.ts';

type AnyObject = z.ZodMiniObject<any, any>;

export interface RouteSpec<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodMiniType | undefined = z.ZodMiniType | undefined,
  R extends z.ZodMiniType | undefined = z.ZodMiniType | undefined,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  /** `none` only for public routes (health, OpenAPI, public disclosure). */
  readonly auth: 'jwt' | 'none';
  /** Roles allowed; scope is checked by the handler against the object it touches. */
  readonly roles?: readonly Role[];
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: { readonly status: 200 | 201 | 202 | 204; readonly description: string; readonly schema?: R };
  /** Creating POST: accepts `Idempotency-Key`. */
  readonly idempotent?: boolean;
  /** Update: requires `If-Match` (428 without it). */
  readonly requiresIfMatch?: boolean;
  /** Problem statuses documented for this route besides the common ones. */
  readonly problems?: readonly number[];
  /** Route-specific wording of a problem status in the OpenAPI document. */
  readonly problemDescriptions?: Readonly<Record<number, string>>;
  /** Largest body accepted (default 1 MB; Lambda's synchronous payload limit is 6 MB). */
  readonly maxBodyBytes?: number;
}

export function defineRoute<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodMiniType | undefined = undefined,
  R extends z.ZodMiniType | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>): RouteSpec<P, Q, B, R> {
  if (spec.auth === 'jwt' && !spec.roles?.length) throw new Error(`${spec.operationId}: a protected route must list its roles`);
  if (spec.method === 'GET' && spec.body) throw new Error(`${spec.operationId}: GET routes take no body`);
  return spec;
}

/** API Gateway route key, e.g. `POST /v1/indicators/{id}/publish`. */
export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

/** The manifest's view of routes. */
export function routeDecls(routes: readonly RouteSpec[]): RouteDecl[] {
  return routes.map((r) => ({ method: r.method, path: r.path, auth: r.auth }));
}

type Infer<T> = T extends z.ZodMiniType ? z.infer<T> : undefined;

export type RouteInput<S> = S extends RouteSpec<infer P, infer Q, infer B, any>
  ? { params: Infer<P>; query: Infer<Q>; body: Infer<B> }
  : never;

/** A route without a response schema (exports, raw bodies) may answer anything. */
export type RouteOutput<S> = S extends RouteSpec<any, any, any, infer R> ? (R extends z.ZodMiniType ? z.infer<R> : unknown) : never;
