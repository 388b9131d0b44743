/**
 * Security headers of every API answer (OWASP REST Security): @middy/http-security-headers
 * sets HSTS, nosniff, Referrer-Policy and removes Server / X-Powered-By on every response, but
 * frame options and a CSP only on text/html. An API answer is never meant to be framed or
 * rendered either, so JSON answers carry `frame-ancestors 'none'` and X-Frame-Options too
 * (FRAME_HEADERS), and the local front's own answers (401 from token checks, 404/405, CORS
 * preflights), which never reach a handler, carry the whole set (API_SECURITY_HEADERS).
 */
export const FRAME_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=15552000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  ...FRAME_HEADERS,
};
