/**
 * The server's one error family. Services throw these; the error handler
 * turns them into `{error: {code, message}, requestId}` with the status here.
 * Anything else that reaches the handler is a bug and becomes a generic 500.
 */
import type { ErrorCode } from '@sundial/contracts';

const STATUS: Record<ErrorCode, number> = {
  'input.invalid': 400,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.mfa_required': 401,
  'auth.forbidden': 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  'pairing.expired': 410,
  'pairing.claimed': 410,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.statusCode = STATUS[code];
    this.headers = headers;
  }
}

export const invalidInput = (message: string): AppError => new AppError('input.invalid', message);
export const notFound = (message = 'Not found'): AppError => new AppError('not_found', message);
export const unavailable = (message: string): AppError => new AppError('unavailable', message);
