/**
 * RFC 9457 problem details. Every 4xx/5xx the API returns is one of these, as
 * `application/problem+json`, with `errors[]` naming each failing field by its path.
 */
import type { FieldError } from './pure/field-error.ts';

export type { FieldError };

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  correlationId?: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'Problem';
    this.status = status;
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers;
  }

  toBody(instance?: string, correlationId?: string): ProblemBody {
    return {
      type: `https://jixiao.gov.cn/problems/${this.code}`,
      title: TITLES[this.status] ?? 'Error',
      status: this.status,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...(correlationId ? { correlationId } : {}),
    };
  }
}

export const problems = {
  validation: (errors: FieldError[]) =>
    new Problem(400, 'validation-failed', `The request has ${errors.length} invalid field(s): ${errors.map((e) => e.field).join(', ')}`, { errors }),
  malformedJson: (message: string) => new Problem(400, 'malformed-json', `The body is not valid JSON: ${message}`, { errors: [{ field: 'body', message }] }),
  unsupportedMediaType: (contentType: string | undefined) =>
    new Problem(415, 'unsupported-media-type', `Send the body as application/json (got ${contentType ?? 'no content-type'})`, {
      errors: [{ field: 'header.content-type', message: 'must be application/json' }],
    }),
  unauthorized: (detail: string) => new Problem(401, 'unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } }),
  forbidden: (detail: string) => new Problem(403, 'forbidden', detail),
  notFound: (what: string) => new Problem(404, 'not-found', `${what} was not found`),
  conflict: (detail: string) => new Problem(409, 'conflict', detail),
  preconditionFailed: (detail: string) =>
    new Problem(412, 'precondition-failed', detail, { errors: [{ field: 'header.if-match', message: detail }] }),
  preconditionRequired: () =>
    new Problem(428, 'precondition-required', 'This update needs an If-Match header with the ETag from your last read', {
      errors: [{ field: 'header.if-match', message: 'required' }],
    }),
  idempotencyMismatch: () =>
    new Problem(422, 'idempotency-key-reused', 'This Idempotency-Key was already used with a different request body', {
      errors: [{ field: 'header.idempotency-key', message: 'reused with a different request' }],
    }),
  invalidState: (detail: string) => new Problem(409, 'invalid-state', detail),
};
