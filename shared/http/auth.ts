/**
 * Who is calling: the actor built from the JWT claims that the authorizer (API Gateway's
 * JWT authorizer in AWS, the local front locally) has already verified. Handlers check both
 * role (route spec) and scope (region here; department/unit against the object they touch).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ActorSchema, type Actor, type Role, type SupervisoryBody } from '../../events/envelope.ts';
import { problems } from '../errors.ts';

export type { Actor, Role };

export function actorFromEvent(event: APIGatewayProxyEventV2WithJWTAuthorizer): Actor {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims) throw problems.unauthorized('No verified token claims on the request');
  const parsed = ActorSchema.safeParse({
    sub: claims.sub,
    role: claims.role,
    region: claims.region,
    department: claims.department || undefined,
    unit: claims.unit || undefined,
    supervisoryBody: claims.supervisoryBody || undefined,
  });
  if (!parsed.success || parsed.data.role === 'system') {
    const fields = parsed.success ? ['role'] : parsed.error.issues.map((i) => i.path.join('.'));
    throw problems.forbidden(`The token's claims are incomplete or invalid: ${fields.join(', ')}`);
  }
  if (parsed.data.supervisoryBody && parsed.data.role !== 'supervisor') {
    throw problems.forbidden(`The token's claims are invalid: supervisoryBody is for supervisor tokens, not ${parsed.data.role}`);
  }
  return parsed.data;
}

/** The People's Congress or audit: a supervisor token naming that body (docs/decisions.md, "Two supervisory bodies"). */
export function requireSupervisoryBody(actor: Actor, body: SupervisoryBody): void {
  if (actor.role === 'supervisor' && actor.supervisoryBody === body) return;
  const who = body === 'congress' ? "the People's Congress" : 'audit';
  throw problems.forbidden(`Only ${who} may do this: a supervisor token with supervisoryBody ${body}`);
}

/** Role check against the route's list. */
export function requireRole(actor: Actor, roles: readonly Role[] | undefined): void {
  if (!roles || roles.includes(actor.role as Role)) return;
  throw problems.forbidden(`Role ${actor.role} may not do this; allowed: ${roles.join(', ')}`);
}

/**
 * Region scope: each stack serves one administrative division; a token issued for another
 * division is refused whatever its role.
 */
export function requireRegion(actor: Actor, deploymentRegion: string): void {
  if (actor.region !== deploymentRegion) {
    throw problems.forbidden(`This API serves region ${deploymentRegion}; the token is scoped to region ${actor.region}`);
  }
}

export interface Scoped {
  region: string;
  department?: string;
  unit?: string;
}

/**
 * Whether the actor may see an object of the given scope: finance and supervisors see their
 * whole region, departments their own department's objects, units their own unit's.
 */
export function inScope(actor: Actor, object: Scoped): boolean {
  if (object.region !== actor.region) return false;
  switch (actor.role) {
    case 'finance':
    case 'supervisor':
      return true;
    case 'department':
      return !!actor.department && object.department === actor.department;
    case 'unit':
      return !!actor.unit && object.unit === actor.unit;
    default:
      return false;
  }
}

/**
 * The owner prefix (`<department>#` or `<department>#<unit>#`) a list may cover, for services
 * whose index sort keys start with the owner: a unit its own unit, a department its own
 * department, finance and supervisors the whole region or the one department they ask for.
 */
export function ownerPrefixFor(actor: Actor, department: string | undefined): string | undefined {
  if (actor.role === 'unit') {
    if (!actor.department || !actor.unit) throw problems.forbidden('A unit token must carry its unit and department claims');
    if (department && department !== actor.department) throw problems.forbidden("You see only your own unit's objects");
    return `${actor.department}#${actor.unit}#`;
  }
  if (actor.role === 'department') {
    if (!actor.department) throw problems.forbidden('The token carries no department claim');
    if (department && department !== actor.department) throw problems.forbidden(`You see only department ${actor.department}'s objects`);
    return `${actor.department}#`;
  }
  return department ? `${department}#` : undefined;
}
