/**
 * The one way the dashboard talks to the server: same-origin `fetch` with the
 * session cookie, JSON in and out, and every failure turned into an
 * `ApiError` whose message is words a person can act on (the server's
 * `{error:{code,message}}` when there is one).
 */
import type { ErrorCode } from '@sundial/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's stable code (`auth.mfa_required` …), or `network` when no answer came. */
    readonly code: ErrorCode | 'network' | 'unexpected',
    message: string,
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** Words for answers that carry no message of their own. */
const STATUS_WORDS: Record<number, string> = {
  401: 'You are not logged in, or your session has ended. Log in again.',
  403: 'You are not allowed to do that.',
  404: 'That was not found.',
  413: 'That is too large to send.',
  429: 'Too many attempts. Wait a minute and try again.',
  502: 'The server could not be reached. Try again in a moment.',
  503: 'The server is not ready. Try again in a moment.',
};

function urlFor(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function isErrorBody(body: unknown): body is { error: { code: ErrorCode; message: string }; requestId?: string } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

async function errorOf(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): fall back to words for the status.
  }
  if (isErrorBody(body)) {
    return new ApiError(response.status, body.error.code, body.error.message, body.requestId ?? null);
  }
  const words = STATUS_WORDS[response.status] ?? `The server answered with an error (${response.status}).`;
  return new ApiError(response.status, 'unexpected', words);
}

/** Sends one request; resolves with the parsed JSON (or null for 204), rejects with `ApiError`. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(urlFor(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return null as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, options?: RequestOptions) => request<T>('POST', path, options),
  put: <T>(path: string, options?: RequestOptions) => request<T>('PUT', path, options),
  patch: <T>(path: string, options?: RequestOptions) => request<T>('PATCH', path, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** A message for any thrown value, for the error component. */
export function wordsFor(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
