/**
 * Sundial's own endpoints on the local API (/sundial/…), used by `sundial
 * agent status|pause|resume`. They refuse any request that carries an
 * Origin (a web page) and POSTs that are not JSON, so a site open in the
 * browser cannot pause tracking behind the person's back.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseIsoTimestamp } from '@sundial/core';
import type { PauseState } from '../pause.js';
import { HttpError, isRecord, parseJson, readBody, sendJson } from './http.js';

export interface ControlDeps {
  readonly pause: PauseState;
  readonly now: () => number;
  readonly status: () => Record<string, unknown>;
  /** Called after a pause or resume, so the tracker ends or starts events at once. */
  readonly onPauseChange?: () => void;
}

export async function handleControl(
  deps: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (req.headers.origin !== undefined) throw new HttpError(403, 'the control endpoints are not for web pages');
  const method = req.method ?? 'GET';
  if (path === '/sundial/status' && method === 'GET') return sendJson(res, 200, deps.status());
  if (method === 'POST' && (path === '/sundial/pause' || path === '/sundial/resume')) {
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new HttpError(415, 'send JSON (content-type: application/json)');
    }
    const body = parseJson(await readBody(req));
    if (!isRecord(body)) throw new HttpError(400, 'request body: must be an object');
    if (path === '/sundial/resume') {
      deps.pause.resume();
    } else {
      const until = body.until;
      let at: number | null = null;
      if (typeof until === 'string') {
        at = parseIsoTimestamp(until);
        if (at === null || at <= deps.now()) throw new HttpError(400, 'until: must be a future ISO 8601 date-time');
      } else if (until !== null) {
        throw new HttpError(400, 'until: must be an ISO 8601 date-time or null (until resumed)');
      }
      deps.pause.pause(at);
    }
    deps.onPauseChange?.();
    return sendJson(res, 200, deps.status());
  }
  throw new HttpError(404, `No route for ${method} ${path}`);
}
