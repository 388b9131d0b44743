/**
 * Hostile bearer tokens for the token-hygiene test: each one with the status the local front
 * (infra/local/keys.ts: signature, issuer, audience, exp, nbf, required exp and sub, ES256
 * only) or the handler (shared/http/auth.ts: claims, region) must answer. 401 for anything the
 * JWT authorizer rejects; 403 for a well-signed token whose claims the handler refuses (another
 * region, a missing or unknown role, a missing region).
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, generateKeyPair, exportJWK, type JWTPayload } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalKeys } from '../../../infra/local/keys.ts';

export interface HostileToken {
  name: string;
  /** The whole Authorization header value (not always "Bearer <token>"). */
  authorization: string;
  status: 401 | 403 | 431;
}

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export async function hostileTokens(keys: LocalKeys, region: string): Promise<HostileToken[]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = (extra: JWTPayload = {}): JWTPayload => ({ role: 'finance', region, sub: 'mallory', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, nbf: now, exp: now + 600, jti: randomUUID(), ...extra });
  const sign = (payload: JWTPayload, key = keys.privateKey, header: Record<string, unknown> = {}) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: keys.kid, typ: 'JWT', ...header } as never).sign(key);
  const without = (name: string) => {
    const p = claims();
    delete p[name];
    return p;
  };
  const good = await sign(claims());
  const [goodHeader, goodPayload, goodSignature] = good.split('.') as [string, string, string];
  const other = await generateKeyPair('ES256', { extractable: true });
  const hmacSecret = new TextEncoder().encode(JSON.stringify(await exportJWK(keys.publicKey)));
  const bearer = (token: string) => `Bearer ${token}`;

  return [
    { name: 'alg none, no signature', authorization: bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`), status: 401 },
    { name: 'alg none with a copied valid signature', authorization: bearer(`${b64({ alg: 'none', typ: 'JWT' })}.${goodPayload}.${goodSignature}`), status: 401 },
    { name: 'signed by another key (same kid)', authorization: bearer(await sign(claims(), other.privateKey)), status: 401 },
    {
      name: 'HS256 keyed with the public key (algorithm confusion)',
      authorization: bearer(await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: keys.kid }).sign(hmacSecret)),
      status: 401,
    },
    { name: 'payload swapped under a valid signature', authorization: bearer(`${goodHeader}.${b64(claims({ role: 'supervisor' }))}.${goodSignature}`), status: 401 },
    { name: 'wrong issuer', authorization: bearer(await sign(claims({ iss: 'https://idp.attacker.example' }))), status: 401 },
    { name: 'wrong audience', authorization: bearer(await sign(claims({ aud: 'another-api' }))), status: 401 },
    { name: 'expired', authorization: bearer(await sign(claims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }))), status: 401 },
    { name: 'not yet valid (nbf in the future)', authorization: bearer(await sign(claims({ nbf: now + 3600, exp: now + 7200 }))), status: 401 },
    { name: 'no exp claim', authorization: bearer(await sign(without('exp'))), status: 401 },
    { name: 'no sub claim', authorization: bearer(await sign(without('sub'))), status: 401 },
    { name: 'no role claim (well signed)', authorization: bearer(await sign(without('role'))), status: 403 },
    { name: 'no region claim (well signed)', authorization: bearer(await sign(without('region'))), status: 403 },
    { name: 'role not in the vocabulary (admin)', authorization: bearer(await sign(claims({ role: 'admin' }))), status: 403 },
    { name: 'role system (events only, never a caller)', authorization: bearer(await sign(claims({ role: 'system' }))), status: 403 },
    { name: 'role claim of the wrong type (array)', authorization: bearer(await sign(claims({ role: ['finance'] }))), status: 403 },
    { name: 'token of another region (well signed)', authorization: bearer(await sign(claims({ region: '360100' }))), status: 403 },
    { name: 'malformed: one part', authorization: bearer('notajwt'), status: 401 },
    { name: 'malformed: two parts', authorization: bearer(`${goodHeader}.${goodPayload}`), status: 401 },
    { name: 'malformed: four parts', authorization: bearer(`${good}.extra`), status: 401 },
    { name: 'malformed: bad base64', authorization: bearer('!!!.###.$$$'), status: 401 },
    { name: 'malformed: header not JSON', authorization: bearer(`${b64('not json')}.${goodPayload}.${goodSignature}`), status: 401 },
    { name: 'empty bearer', authorization: 'Bearer ', status: 401 },
    { name: 'wrong scheme (Basic)', authorization: `Basic ${Buffer.from('finance:secret').toString('base64')}`, status: 401 },
    { name: 'token without the Bearer scheme', authorization: good, status: 401 },
    { name: 'two tokens in one header', authorization: `${bearer(good)}, ${bearer(good)}`, status: 401 },
    { name: 'oversized garbage token (8 KB)', authorization: bearer(`${'a'.repeat(4000)}.${'b'.repeat(4000)}.${'c'.repeat(200)}`), status: 401 },
    // Above the front's 8 KB bound (AWS HTTP API refuses header values above 10 KB).
    { name: 'oversized well-signed token (9 KB claim)', authorization: bearer(await sign(claims({ pad: 'x'.repeat(9000) }))), status: 401 },
    // Beyond Node's header limit (16 KB): the server refuses the request itself (431), before any handler.
    { name: 'token beyond the header limit (20 KB)', authorization: bearer('a'.repeat(20_000)), status: 431 },
  ];
}
