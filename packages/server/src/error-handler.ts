/**
 * One error handler and one not-found handler for the whole app. Clients get
 * a stable code and a message in words; a stack trace never leaves the
 * server. Fastify's own 4xx (bad JSON, wrong content type, schema
 * violations) become `input.invalid` with a message saying what to fix.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode, ErrorResponse } from '@sundial/contracts';
import { AppError } from './errors.js';

export interface ErrorHandlerOptions {
  /** Asked before a 404 is sent (the web dashboard's pages); answers whether it replied instead. */
  readonly fallback?: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
}

export function installErrorHandlers(app: FastifyInstance, options: ErrorHandlerOptions = {}): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      void reply.headers(error.headers);
      return send(reply, request, error.statusCode, error.code, error.message);
    }
    const mapped = mapFastifyError(error);
    if (mapped) return send(reply, request, mapped.status, mapped.code, mapped.message);
    request.log.error({ err: error }, 'unhandled error');
    return send(
      reply,
      request,
      500,
      'internal',
      `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
    );
  });

  app.setNotFoundHandler(async (request, reply) => {
    if (await options.fallback?.(request, reply)) return reply;
    return send(reply, request, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`);
  });
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  const body: ErrorResponse = { error: { code, message }, requestId: request.id };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}

interface Mapped {
  status: number;
  code: ErrorCode;
  message: string;
}

function mapFastifyError(error: FastifyError): Mapped | null {
  if (error.validation) {
    const context = error.validationContext ?? 'request';
    const details = error.validation
      .slice(0, 5)
      .map((issue) => `${context}${issue.instancePath || ''} ${issue.message ?? 'is invalid'}`.trim());
    return { status: 400, code: 'input.invalid', message: details.join('; ') };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 400, code: 'input.invalid', message: 'Unsupported Content-Type: send application/json' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, code: 'input.invalid', message: 'Content-Length does not match the body' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'input.invalid', message: 'The body is empty but Content-Type says JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'payload_too_large', message: 'The body is larger than this route accepts' };
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, code: 'input.invalid', message: 'The body is not valid JSON' };
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return { status, code: 'rate_limited', message: error.message };
  if (status === 404) return { status, code: 'not_found', message: 'Not found' };
  if (status >= 400 && status < 500) {
    // Another client error from Fastify or a plugin (e.g. prototype poisoning).
    return { status: 400, code: 'input.invalid', message: error.message };
  }
  return null;
}
