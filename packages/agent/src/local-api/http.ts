/**
 * The plumbing of the local API (node:http, not Fastify: the agent's memory
 * budget is tight): the Host-header check that stops DNS rebinding, CORS for
 * browser-extension origins, bounded JSON bodies and JSON answers with the
 * `message` field ActivityWatch clients read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The Host header without its port, when it names this computer's loopback. */
export function hostAllowed(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
}

const EXTENSION_ORIGIN = /^(moz-extension|chrome-extension):\/\/[A-Za-z0-9._-]+$/;
const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

/** Adds CORS headers for the origins ActivityWatch allows; answers whether the origin is one of them. */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || !(EXTENSION_ORIGIN.test(origin) || LOCAL_ORIGIN.test(origin))) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE, OPTIONS');
  res.setHeader('access-control-allow-headers', 'content-type, authorization');
  res.setHeader('access-control-max-age', '600');
  return true;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT_BYTES) throw new HttpError(413, `request body over ${BODY_LIMIT_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'request body: expected JSON, got nothing');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body: not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { message });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
