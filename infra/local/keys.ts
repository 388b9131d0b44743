/**
 * Development identity: a local ES256 key pair made on first start (kept under
 * `<home>/keys`, outside the data directory so `--reset` does not invalidate tokens), the
 * tokens `npm run token` issues with it, and their verification the way API Gateway's JWT
 * authorizer does it: signature, issuer, audience, expiry and not-before, no clock leeway.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID, type webcrypto } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, errors, type JWK, type JWTPayload } from 'jose';

export const LOCAL_ISSUER = 'https://idp.jixiao.local';
export const LOCAL_AUDIENCE = 'jixiao-api';
const ALG = 'ES256';
type CryptoKey = webcrypto.CryptoKey;

export interface LocalKeys {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function loadOrCreateKeys(home: string): Promise<LocalKeys> {
  const dir = join(home, 'keys');
  const file = join(dir, 'local-signing-key.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const { privateKey } = await generateKeyPair(ALG, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ALG, use: 'sig' };
    writeFileSync(file, JSON.stringify(jwk, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK & { kid: string };
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    kid: privateJwk.kid,
    privateKey: (await importJWK(privateJwk, ALG)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, ALG)) as CryptoKey,
    publicJwk,
  };
}

export interface TokenClaims {
  role: string;
  region: string;
  department?: string;
  unit?: string;
  /** Supervisor tokens only: 'congress' or 'audit'. */
  supervisoryBody?: string;
  sub?: string;
}

export async function issueToken(keys: LocalKeys, claims: TokenClaims, options: { ttlSeconds?: number; now?: number } = {}): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const payload: JWTPayload = {
    role: claims.role,
    region: claims.region,
    ...(claims.department ? { department: claims.department } : {}),
    ...(claims.unit ? { unit: claims.unit } : {}),
    ...(claims.supervisoryBody ? { supervisoryBody: claims.supervisoryBody } : {}),
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: ALG, kid: keys.kid, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(claims.sub ?? `${claims.role}-${claims.unit ?? claims.department ?? claims.region}`)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.ttlSeconds ?? 8 * 3600))
    .setJti(randomUUID())
    .sign(keys.privateKey);
}

export class TokenRejected extends Error {}

/**
 * Largest token verified. Identity-provider tokens are 1–2 KB; API Gateway refuses header
 * values above 10 KB. A bigger token is refused before it is parsed.
 */
export const MAX_TOKEN_BYTES = 8192;

/**
 * Tokens already verified, with their claims, up to VERIFIED_TOKENS_KEPT (oldest forgotten
 * first). A portal sends the same token with every request until it expires, and checking its
 * ES256 signature again and again was a tenth of the local front's time per request (measured,
 * docs/decisions.md): a token's signature, issuer and audience cannot change, so a cached token
 * is only checked again for its time window (`exp`, `nbf`), with no leeway, like the first time.
 * The cache belongs to one key: a runtime with another key starts with an empty one.
 */
const VERIFIED_TOKENS_KEPT = 1000;
const verifiedTokens = new WeakMap<LocalKeys, Map<string, JWTPayload>>();

function withinTimeWindow(payload: JWTPayload, nowSeconds: number): boolean {
  return typeof payload.exp === 'number' && nowSeconds < payload.exp && (payload.nbf === undefined || payload.nbf <= nowSeconds);
}

function rememberVerified(keys: LocalKeys, token: string, payload: JWTPayload): void {
  let cache = verifiedTokens.get(keys);
  if (!cache) verifiedTokens.set(keys, (cache = new Map()));
  if (cache.size >= VERIFIED_TOKENS_KEPT) cache.delete(cache.keys().next().value as string);
  cache.set(token, payload);
}

/** Verifies a bearer token; returns its claims or throws TokenRejected saying why. */
export async function verifyBearer(keys: LocalKeys, authorization: string | undefined): Promise<JWTPayload> {
  if (!authorization) throw new TokenRejected('No Authorization header: send "Authorization: Bearer <token>"');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new TokenRejected('The Authorization header must be "Bearer <token>"');
  const token = match[1] as string;
  if (token.length > MAX_TOKEN_BYTES) throw new TokenRejected(`The token is larger than ${MAX_TOKEN_BYTES} bytes`);
  const known = verifiedTokens.get(keys)?.get(token);
  if (known && withinTimeWindow(known, Math.floor(Date.now() / 1000))) return known;
  try {
    const { payload } = await jwtVerify(token, keys.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
      requiredClaims: ['exp', 'sub'],
    });
    rememberVerified(keys, token, payload);
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRejected('The token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw new TokenRejected(`The token's "${error.claim}" claim is not accepted (${error.reason})`);
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new TokenRejected('The token signature is not valid');
    if (error instanceof errors.JOSEAlgNotAllowed) throw new TokenRejected('The token algorithm is not accepted');
    throw new TokenRejected('The token is malformed or not a JWT signed by the identity provider');
  }
}
