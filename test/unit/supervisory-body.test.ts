/** The supervisory body claim of supervisor tokens: the People's Congress and audit (shared/http/auth.ts). */
import { describe, expect, it } from 'vitest';
import { actorFromEvent, requireSupervisoryBody } from '../../shared/http/auth.ts';
import { Problem } from '../../shared/errors.ts';

const withClaims = (claims: Record<string, string>) => ({ requestContext: { authorizer: { jwt: { claims, scopes: [] } } } }) as never;
const refused = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return (error as Problem).status;
  }
  return undefined;
};

describe('the supervisoryBody claim', () => {
  it('is read from a supervisor token', () => {
    expect(actorFromEvent(withClaims({ sub: 'npc-1', role: 'supervisor', region: '360000', supervisoryBody: 'congress' }))).toMatchObject({ role: 'supervisor', supervisoryBody: 'congress' });
  });
  it('is optional: a supervisor token without it keeps the read-only supervisor of before', () => {
    expect(actorFromEvent(withClaims({ sub: 'sup-1', role: 'supervisor', region: '360000' })).supervisoryBody).toBeUndefined();
  });
  it('is refused on any other role', () => {
    expect(refused(() => actorFromEvent(withClaims({ sub: 'f-1', role: 'finance', region: '360000', supervisoryBody: 'audit' })))).toBe(403);
  });
  it('is refused when it names no known body', () => {
    expect(refused(() => actorFromEvent(withClaims({ sub: 's-1', role: 'supervisor', region: '360000', supervisoryBody: 'press' })))).toBe(403);
  });
});

describe('requireSupervisoryBody', () => {
  const actor = (supervisoryBody?: 'congress' | 'audit', role: 'supervisor' | 'finance' = 'supervisor') => ({ sub: 's', role, region: '360000', ...(supervisoryBody ? { supervisoryBody } : {}) });
  it('lets the named body through', () => {
    expect(refused(() => requireSupervisoryBody(actor('congress'), 'congress'))).toBeUndefined();
  });
  it('refuses the other body, a supervisor naming none, and finance', () => {
    expect(refused(() => requireSupervisoryBody(actor('audit'), 'congress'))).toBe(403);
    expect(refused(() => requireSupervisoryBody(actor(), 'congress'))).toBe(403);
    expect(refused(() => requireSupervisoryBody(actor(undefined, 'finance'), 'audit'))).toBe(403);
  });
});
