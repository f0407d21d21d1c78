/**
 * The ActivityWatch API on this computer (/api/0): writes (buckets,
 * heartbeats, events) are recorded locally — privacy filter, heartbeat rule,
 * queue — and answered at once, online or not; reads are answered by the
 * server after the queue is sent. Bucket types Sundial does not record
 * (input counts, …) are accepted and dropped, as on the server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalBuckets } from '../queue/buckets.js';
import type { QueuedEvent } from '../queue/queue.js';
import { bucketStream, type Recorder } from '../recorder.js';
import { bucketBody, checkBucketId, eventIn, kindOfType, pulsetimeOf, type EventIn } from './aw-input.js';
import { jsonOf } from '../sync/client.js';
import { forward, readThrough, type Upstream } from './forward.js';
import { HttpError, isRecord, parseJson, readBody, sendJson } from './http.js';

export interface AwDeps {
  readonly recorder: Recorder;
  readonly buckets: LocalBuckets;
  readonly upstream: Upstream | null;
  readonly info: () => { hostname: string; version: string; testing: boolean; device_id: string };
  readonly now: () => number;
}

function wire(e: { start: number; duration: number; data: Readonly<Record<string, unknown>> }) {
  return { timestamp: new Date(e.start).toISOString(), duration: e.duration / 1000, data: e.data };
}

function localBucketView(b: ReturnType<LocalBuckets['list']>[number]) {
  return {
    id: b.key,
    created: new Date(b.created).toISOString(),
    name: null,
    type: b.type,
    client: b.client,
    hostname: b.hostname,
    data: b.data,
  };
}

export async function handleAw(
  deps: AwDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
): Promise<void> {
  const method = req.method ?? 'GET';
  const parts = path.split('/').filter((p) => p !== '');
  const search = query.toString() === '' ? '' : `?${query.toString()}`;
  const full = `/api/0/${parts.join('/')}${path.endsWith('/') ? '/' : ''}${search}`;

  if (parts[0] === 'info' && parts.length === 1 && method === 'GET') return sendJson(res, 200, deps.info());

  if (parts[0] === 'buckets' && parts.length === 1 && method === 'GET') {
    return listBuckets(deps, res);
  }

  if (parts[0] === 'buckets' && parts.length >= 2) {
    const key = checkBucketId(decode(parts[1] ?? ''));
    const rest = parts.slice(2);
    if (rest.length === 0 && method === 'POST') {
      const body = bucketBody(parseJson(await readBody(req)));
      const created = deps.buckets.create({
        key,
        ...body,
        hostname: body.hostname === '!local' ? deps.info().hostname : body.hostname,
        created: deps.now(),
      });
      res.writeHead(created ? 200 : 304).end();
      return;
    }
    if (rest.length === 0 && method === 'GET') {
      const local = deps.buckets.get(key);
      if (local) return sendJson(res, 200, localBucketView(local));
      return forward(deps.upstream, res, 'GET', full);
    }
    if (rest.length === 0 && method === 'DELETE') {
      const local = deps.buckets.get(key);
      const reply = deps.upstream === null ? null : await readThrough(deps.upstream, 'DELETE', full);
      // A bucket that never had an event sent exists only here: deleting it locally is the whole job.
      if (reply !== null && reply.status !== 200 && !(reply.status === 404 && local)) {
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' }).end(reply.body);
        return;
      }
      if (reply === null && !local) throw new HttpError(404, `There's no bucket named ${key}`);
      deps.buckets.remove(key);
      deps.recorder.forget(bucketStream(key));
      res.writeHead(200).end();
      return;
    }
    if (rest[0] === 'heartbeat' && rest.length === 1 && method === 'POST') {
      const pulsetime = pulsetimeOf(query);
      const event = eventIn(parseJson(await readBody(req)), 'heartbeat');
      const kind = kindOf(deps, key);
      const recorded = kind === null ? null : deps.recorder.heartbeat(bucketStream(key), kind, key, event, pulsetime);
      return sendJson(res, 200, wire(recorded?.event ?? event));
    }
    if (rest[0] === 'events' && rest.length === 1 && method === 'POST') {
      const body = parseJson(await readBody(req));
      const list = (Array.isArray(body) ? body : [body]).map((e, i) =>
        eventIn(e, Array.isArray(body) ? `events[${i}]` : 'event'),
      );
      const kind = kindOf(deps, key);
      if (kind === null) return sendJson(res, 200, []);
      // Replacing a stored event names it by the server's integer id: only the server can do that.
      if (list.some((e) => e.id !== undefined)) return forward(deps.upstream, res, 'POST', full, list.map(awOut));
      const stored: QueuedEvent[] = deps.recorder.insert(kind, key, list);
      return sendJson(res, 200, stored.map(wire));
    }
    return forward(deps.upstream, res, method, full, await optionalBody(req));
  }
  // query, export, import, settings: the server's.
  return forward(deps.upstream, res, method, full, await optionalBody(req));
}

function awOut(e: EventIn) {
  return { ...(e.id === undefined ? {} : { id: e.id }), ...wire(e) };
}

function kindOf(deps: AwDeps, key: string) {
  const bucket = deps.buckets.get(key);
  if (!bucket) throw new HttpError(404, `There's no bucket named ${key} (create it first: POST /api/0/buckets/${key})`);
  return kindOfType(bucket.type);
}

async function listBuckets(deps: AwDeps, res: ServerResponse): Promise<void> {
  const local = Object.fromEntries(deps.buckets.list().map((b) => [b.key, localBucketView(b)]));
  if (deps.upstream === null) return sendJson(res, 200, local);
  // The server's buckets, plus local ones it has not heard of yet.
  const reply = await readThrough(deps.upstream, 'GET', '/api/0/buckets/');
  const remote = reply.status === 200 ? jsonOf(reply) : undefined;
  if (!isRecord(remote)) throw new HttpError(502, `The Sundial server answered ${reply.status} to the bucket list`);
  return sendJson(res, 200, { ...local, ...remote });
}

async function optionalBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  return text.trim() === '' ? undefined : parseJson(text);
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bucket id: is not valid percent-encoding');
  }
}
