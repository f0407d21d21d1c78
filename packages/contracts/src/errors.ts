/**
 * The one error body every Sundial route answers with, and the stable codes
 * clients may branch on. Messages are for people; codes are for programs.
 */
import { Type, type Static } from 'typebox';

export const ERROR_CODES = [
  'input.invalid',
  'auth.required',
  'auth.invalid_credentials',
  'auth.mfa_required',
  'auth.forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'pairing.expired',
  'pairing.claimed',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. `input.invalid`' }),
      message: Type.String({ description: 'What went wrong, in words' }),
    }),
    requestId: Type.String({ description: 'Quote this when reporting a problem' }),
  },
  { $id: 'ErrorResponse', additionalProperties: false },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/**
 * The error answers an API route may give, for its response schema: every
 * route can meet bad input, a missing or insufficient credential, a missing
 * resource, a conflict or a rate limit.
 */
export const ERROR_RESPONSES = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  429: ErrorResponse,
} as const;
