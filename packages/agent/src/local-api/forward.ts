/**
 * Reads through the local API are answered by the server, after the queue
 * has been sent (so a client reads back what it just wrote). When the server
 * cannot be reached the answer is 503 with a message saying the activity is
 * safe on this computer.
 */
import type { ServerResponse } from 'node:http';
import type { ServerClient, ServerReply } from '../sync/client.js';
import type { Syncer } from '../sync/syncer.js';
import { HttpError } from './http.js';

export interface Upstream {
  readonly client: ServerClient;
  readonly syncer: Syncer;
}

function unreachable(reason: string): HttpError {
  return new HttpError(
    503,
    `The Sundial server cannot be reached (${reason}). Your activity is kept on this computer and sent when it is back; reads need the server.`,
  );
}

/** Sends the queue, then the request; the server's reply. */
export async function readThrough(
  upstream: Upstream | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<ServerReply> {
  if (upstream === null) throw unreachable('this agent is not paired with a server');
  const flushed = await upstream.syncer.sync();
  if (!flushed.ok) throw unreachable(flushed.reason);
  let reply: ServerReply;
  try {
    reply = await upstream.client.request(method, path, body);
  } catch (error) {
    throw unreachable(error instanceof Error ? error.message : String(error));
  }
  if (reply.status === 403) {
    throw new HttpError(
      403,
      'The device token may not read activity back (it needs the `read` scope); writes still work. Pair with a token that has it to read through this API.',
    );
  }
  return reply;
}

/** Sends the queue, then the request; answers the server's reply as is. */
export async function forward(
  upstream: Upstream | null,
  res: ServerResponse,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const reply = await readThrough(upstream, method, path, body);
  const type = reply.headers['content-type'] ?? 'application/json; charset=utf-8';
  const headers: Record<string, string> = { 'content-type': Array.isArray(type) ? type.join(', ') : type };
  const disposition = reply.headers['content-disposition'];
  if (typeof disposition === 'string') headers['content-disposition'] = disposition;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}
