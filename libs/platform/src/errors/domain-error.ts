/** A field that made a request invalid, as RFC 9457 problem documents list them. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'SECOND_FACTOR_REQUIRED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  SECOND_FACTOR_REQUIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

/**
 * The one way domain code fails. The global problem filter turns it into an RFC 9457
 * document, so handlers never build HTTP responses for errors themselves.
 */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldError[] = [],
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export const notFound = (what: string): DomainError => new DomainError('NOT_FOUND', `${what} not found`);
export const invalid = (field: string, message: string): DomainError =>
  new DomainError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);
/** A 400 naming every field at fault, each once in the detail, all of them in `errors`. */
export const invalidFields = (fields: readonly FieldError[]): DomainError =>
  new DomainError('VALIDATION_FAILED', `Invalid request: ${[...new Set(fields.map((f) => f.field))].join(', ')}`, fields);
export const invalidTransition = (what: string, from: string, action: string): DomainError =>
  new DomainError('INVALID_TRANSITION', `${what} is ${from}; it cannot be ${action}`);
