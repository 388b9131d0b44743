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
  sub?: string;
}

export async function issueToken(keys: LocalKeys, claims: TokenClaims, options: { ttlSeconds?: number; now?: number } = {}): Promise<string> {
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const payload: JWTPayload = {
    role: claims.role,
    region: claims.region,
    ...(claims.department ? { department: claims.department } : {}),
    ...(claims.unit ? { unit: claims.unit } : {}),
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

/** Verifies a bearer token; returns its claims or throws TokenRejected saying why. */
export async function verifyBearer(keys: LocalKeys, authorization: string | undefined): Promise<JWTPayload> {
  if (!authorization) throw new TokenRejected('No Authorization header: send "Authorization: Bearer <token>"');
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match) throw new TokenRejected('The Authorization header must be "Bearer <token>"');
  if ((match[1] as string).length > MAX_TOKEN_BYTES) throw new TokenRejected(`The token is larger than ${MAX_TOKEN_BYTES} bytes`);
  try {
    const { payload } = await jwtVerify(match[1] as string, keys.publicKey, {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALG],
      requiredClaims: ['exp', 'sub'],
    });
    return payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRejected('The token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) throw new TokenRejected(`The token's "${error.claim}" claim is not accepted (${error.reason})`);
    if (error instanceof errors.JWSSignatureVerificationFailed) throw new TokenRejected('The token signature is not valid');
    if (error instanceof errors.JOSEAlgNotAllowed) throw new TokenRejected('The token algorithm is not accepted');
    throw new TokenRejected('The token is malformed or not a JWT signed by the identity provider');
  }
}
