/**
 * Sync against a real Sundial server and against a misbehaving one (500,
 * 429 with Retry-After, garbage, a hang): every event arrives exactly once,
 * a grown event replaces itself, nothing leaves the queue unsent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalBuckets } from '../src/queue/buckets.js';
import { ServerClient } from '../src/sync/client.js';
import { Syncer } from '../src/sync/syncer.js';
import { backoffDelay, retryAfterMs } from '../src/sync/backoff.js';
import { collectLog, openLocal, type Local } from './support.js';
import { realServer, type RealServer } from './server-support.js';

const T = Date.now() - 3600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function syncerFor(local: Local, url: string, token: string, timeoutMs = 10_000) {
  const client = new ServerClient({ server: url, token, timeoutMs });
  cleanups.push(() => client.close());
  const log = collectLog();
  const syncer = new Syncer({
    queue: local.queue,
    buckets: new LocalBuckets(local.db),
    state: local.state,
    privacy: local.privacy,
    client,
    log,
    now: Date.now,
    intervalMs: 1000,
    version: 'test',
    watchers: () => 'script ok',
    batchSize: 7,
  });
  return { syncer, log };
}

function recordSeconds(local: Local, from: number, count: number) {
  for (let i = 0; i < count; i += 1) {
    local.recorder.heartbeat(
      'window',
      'window',
      null,
      { start: from + i * 1000, duration: 0, data: { app: `App${Math.floor(i / 5)}`, title: 't' } },
      2000,
    );
    if (i % 5 === 4) local.recorder.close('window', from + (i + 1) * 1000);
  }
}

describe('sync with a real server', () => {
  let server: RealServer;

  it('sends every event once, replaces a grown one, and follows the privacy settings', async () => {
    server = await realServer();
    cleanups.push(() => server.close());
    await server.setPrivacy({ detail: 'full' });
    const local = openLocal();
    const { syncer } = syncerFor(local, server.url, server.token);
    await syncer.refreshPrivacy();
    expect(local.privacy.current.settings.detail).toBe('full');

    recordSeconds(local, T, 40);
    expect(await syncer.sync()).toEqual({ ok: true });
    expect(local.queue.stats().length).toBe(0);
    let events = await server.events();
    expect(events.map((e) => [e.data.app, e.duration])).toEqual(Array.from({ length: 8 }, (_, i) => [`App${i}`, 4]));

    // The last event grows after it was sent: re-sent under the same id.
    const grown = local.recorder.heartbeat(
      'window',
      'window',
      null,
      { start: T + 60_000, duration: 0, data: { app: 'Late', title: 't' } },
      2000,
    );
    await syncer.sync();
    local.recorder.heartbeat(
      'window',
      'window',
      null,
      { start: T + 61_500, duration: 0, data: { app: 'Late', title: 't' } },
      2000,
    );
    await syncer.sync();
    events = await server.events();
    expect(events.filter((e) => e.data.app === 'Late')).toEqual([
      expect.objectContaining({ id: grown?.event.id, duration: 1.5 }),
    ]);
    expect(syncer.lastSyncAt).not.toBeNull();
  });
});

interface Behaviour {
  (req: IncomingMessage, res: ServerResponse, body: string, store: () => void): void;
}

/** A server that stores like Sundial (by id) but answers as told, one behaviour per request. */
async function misbehaving(behaviours: Behaviour[]) {
  const stored = new Map<string, { duration: number }>();
  const statuses: unknown[] = [];
  let posts = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const store = () => {
        const parsed = JSON.parse(body) as { events: { id: string; duration: number }[] };
        for (const e of parsed.events) stored.set(e.id, { duration: e.duration });
      };
      if (req.url === '/api/v1/settings/privacy') {
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ detail: 'full', ignore: [], paused: false, retentionDays: null }));
        return;
      }
      if (req.url === '/api/v1/devices/me/status' && req.method === 'PUT') statuses.push(JSON.parse(body));
      if (req.url !== '/api/v1/events') {
        res.writeHead(404).end('{}');
        return;
      }
      const behave = behaviours[posts] ?? ok;
      posts += 1;
      behave(req, res, body, store);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stored, statuses, posts: () => posts };
}

const ok: Behaviour = (_req, res, body, store) => {
  store();
  const n = (JSON.parse(body) as { events: unknown[] }).events.length;
  res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ accepted: n, replaced: 0, dropped: 0 }));
};

describe('sync with a misbehaving server', () => {
  it('keeps retrying through 500, 429, garbage and a hang; nothing lost or doubled', async () => {
    const server = await misbehaving([
      (_q, res) => res.writeHead(500).end('{"error":{}}'),
      (_q, res) => res.writeHead(429, { 'retry-after': '7' }).end(),
      // Stored, but the answer is garbage: the retry must replace, not double.
      (_q, res, _b, store) => {
        store();
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>proxy</html>');
      },
      // Stored, then no answer at all.
      (_q, _res, _b, store) => store(),
      ok,
    ]);
    const local = openLocal();
    const { syncer, log } = syncerFor(local, server.url, 'device-token-123', 300);
    recordSeconds(local, T, 20);
    const expected = local.queue.pending(100).map((e) => [e.id, e.duration / 1000] as const);

    const outcomes = [];
    for (let i = 0; i < 5; i += 1) outcomes.push(await syncer.sync());
    expect(outcomes.slice(0, 4).map((o) => o.ok)).toEqual([false, false, false, false]);
    expect(outcomes[1]).toMatchObject({ retryAfterMs: 7000 });
    expect(outcomes[4]).toEqual({ ok: true });
    expect(local.queue.stats().length).toBe(0);
    expect([...server.stored.entries()].map(([id, e]) => [id, e.duration]).sort()).toEqual([...expected].sort());
    expect(log.lines.some((l) => l.level === 'warn' && l.message.startsWith('sync failed'))).toBe(true);
    expect(JSON.stringify(log.lines)).not.toContain('App0');
    // The device status went out after the good sync; its 404 (no such route yet) is no failure.
    expect(server.statuses).toEqual([
      { queueLength: 0, oldestQueuedAt: null, lastSyncAt: expect.any(String), version: 'test', watchers: 'script ok' },
    ]);
  });

  it('drops only the one event the server refuses as invalid', async () => {
    const local = openLocal();
    recordSeconds(local, T, 15);
    const all = local.queue.pending(100);
    const bad = all[1]?.id;
    // Every request holding the bad event is refused.
    const refuse: Behaviour = (req, res, body, store) =>
      body.includes(bad ?? '-') ? res.writeHead(400).end('{}') : ok(req, res, body, store);
    const strict = await misbehaving(Array.from({ length: 20 }, () => refuse));
    const strictSyncer = syncerFor(local, strict.url, 'device-token-123').syncer;
    expect(await strictSyncer.sync()).toEqual({ ok: true });
    expect([...strict.stored.keys()].sort()).toEqual(
      all
        .map((e) => e.id)
        .filter((id) => id !== bad)
        .sort(),
    );
  });
});

describe('backoff', () => {
  it('grows with failures, is capped, keeps jitter within bounds, and reads Retry-After', () => {
    expect(backoffDelay(10_000, 0)).toBe(10_000);
    expect(backoffDelay(10_000, 1, () => 0)).toBe(10_000);
    expect(backoffDelay(10_000, 1, () => 1)).toBe(20_000);
    expect(backoffDelay(10_000, 30, () => 1)).toBe(300_000);
    expect(retryAfterMs('7', 0)).toBe(7000);
    expect(retryAfterMs(new Date(60_000).toUTCString(), 0)).toBe(60_000);
    expect(retryAfterMs('soon', 0)).toBeNull();
  });
});
