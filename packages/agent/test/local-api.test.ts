/**
 * ActivityWatch compatibility through the agent's local API with a real
 * HTTP client and a real Sundial server behind it: create a bucket,
 * heartbeats merging, events read back newest first; the Host check, CORS
 * for extensions, bad input, reads while the server is down, pause.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest, runAgent } from './agent-support.js';
import { realServer, type RealServer } from './server-support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp() {
  const server = await realServer();
  cleanups.push(() => server.close());
  await server.setPrivacy({ detail: 'full' });
  const agent = await runAgent(server);
  cleanups.push(() => agent.stop());
  return { server, agent };
}

const BUCKET = 'aw-watcher-window_testhost';
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function heartbeat(base: string, at: number, data: Record<string, unknown>, pulsetime = 2) {
  const res = await fetch(
    `${base}/api/0/buckets/${BUCKET}/heartbeat?pulsetime=${pulsetime}`,
    json({ timestamp: new Date(at).toISOString(), duration: 0, data }),
  );
  expect(res.status).toBe(200);
  return res.json() as Promise<{ timestamp: string; duration: number; data: Record<string, unknown> }>;
}

describe('local ActivityWatch API', () => {
  let server: RealServer;

  it('creates a bucket, merges heartbeats, and reads events back newest first from the server', async () => {
    const up = await setUp();
    server = up.server;
    const base = up.agent.base;
    const info = await (await fetch(`${base}/api/0/info`)).json();
    expect(info).toMatchObject({ testing: false, device_id: expect.any(String), hostname: expect.any(String) });

    const create = await fetch(
      `${base}/api/0/buckets/${BUCKET}`,
      json({ client: 'aw-watcher-window', type: 'currentwindow', hostname: 'testhost' }),
    );
    expect(create.status).toBe(200);
    const again = await fetch(
      `${base}/api/0/buckets/${BUCKET}`,
      json({ client: 'aw-watcher-window', type: 'currentwindow', hostname: 'testhost' }),
    );
    expect(again.status).toBe(304);

    const t = Date.now() - 60_000;
    const a = { app: 'Editor', title: 'a.txt' };
    await heartbeat(base, t, a);
    await heartbeat(base, t + 1000, a);
    const merged = await heartbeat(base, t + 2000, a);
    expect(merged).toMatchObject({ timestamp: new Date(t).toISOString(), duration: 2, data: a });
    await heartbeat(base, t + 3000, { app: 'Terminal', title: 'make' });
    await heartbeat(base, t + 4500, { app: 'Terminal', title: 'make' });

    const events = (await (await fetch(`${base}/api/0/buckets/${BUCKET}/events`)).json()) as {
      id: number;
      timestamp: string;
      duration: number;
      data: unknown;
    }[];
    expect(events.map((e) => [e.timestamp, e.duration, e.data])).toEqual([
      [new Date(t + 3000).toISOString(), 1.5, { app: 'Terminal', title: 'make' }],
      [new Date(t).toISOString(), 2, a],
    ]);
    expect(events.every((e) => typeof e.id === 'number')).toBe(true);

    const buckets = (await (await fetch(`${base}/api/0/buckets/`)).json()) as Record<string, { type: string }>;
    expect(buckets[BUCKET]?.type).toBe('currentwindow');
    // A bucket only this computer knows (no event sent yet) deletes too.
    await fetch(`${base}/api/0/buckets/empty-one`, json({ client: 'c', type: 'currentwindow', hostname: 'h' }));
    expect((await fetch(`${base}/api/0/buckets/empty-one?force=1`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${base}/api/0/buckets/empty-one`)).status).toBe(404);
    // Each second exactly once on the server, in the bucket the watcher named.
    expect((await server.events()).map((e) => e.duration).sort()).toEqual([1.5, 2]);
  });

  it('stores posted events and drops types Sundial does not record', async () => {
    const { agent } = await setUp();
    const base = agent.base;
    await fetch(
      `${base}/api/0/buckets/aw-watcher-web-firefox_h`,
      json({ client: 'aw-watcher-web', type: 'web.tab.current', hostname: 'h' }),
    );
    await fetch(
      `${base}/api/0/buckets/aw-watcher-input_h`,
      json({ client: 'aw-watcher-input', type: 'os.hid.input', hostname: 'h' }),
    );
    const t = new Date(Date.now() - 10_000).toISOString();
    const posted = await fetch(
      `${base}/api/0/buckets/aw-watcher-web-firefox_h/events`,
      json([{ timestamp: t, duration: 4, data: { url: 'https://example.org/x', title: 'X', audible: false } }]),
    );
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual([
      { timestamp: t, duration: 4, data: { url: 'https://example.org/x', title: 'X', audible: false } },
    ]);
    const dropped = await fetch(
      `${base}/api/0/buckets/aw-watcher-input_h/events`,
      json({ timestamp: t, duration: 5, data: { presses: 3 } }),
    );
    expect(await dropped.json()).toEqual([]);
    const read = (await (await fetch(`${base}/api/0/buckets/aw-watcher-web-firefox_h/events?limit=10`)).json()) as {
      data: unknown;
    }[];
    expect(read.map((e) => e.data)).toEqual([{ url: 'https://example.org/x', title: 'X', audible: false }]);
  });

  it('answers 400 to a foreign Host header and to bad input; CORS only for extensions', async () => {
    const { agent } = await setUp();
    const foreign = await rawRequest(agent.port, { path: '/api/0/info', headers: { host: 'evil.example:5600' } });
    expect(foreign.status).toBe(400);
    expect(JSON.parse(foreign.body)).toMatchObject({ message: expect.stringContaining('Host header') });
    expect(
      (await rawRequest(agent.port, { path: '/api/0/info', headers: { host: `localhost:${agent.port}` } })).status,
    ).toBe(200);

    await fetch(`${agent.base}/api/0/buckets/${BUCKET}`, json({ client: 'c', type: 'currentwindow', hostname: 'h' }));
    const cases: [string, RequestInit, string][] = [
      [`/api/0/buckets/${BUCKET}/heartbeat`, json({ timestamp: new Date().toISOString(), data: {} }), 'pulsetime'],
      [`/api/0/buckets/${BUCKET}/heartbeat?pulsetime=2`, { method: 'POST', body: '{not json' }, 'not valid JSON'],
      [`/api/0/buckets/${BUCKET}/heartbeat?pulsetime=2`, json({ timestamp: 'yesterday', data: {} }), 'timestamp'],
      [
        `/api/0/buckets/${BUCKET}/events`,
        json([{ timestamp: new Date().toISOString(), duration: -1, data: {} }]),
        'duration',
      ],
      ['/api/0/buckets/new-bucket', json({ client: 'c', hostname: 'h' }), 'type'],
    ];
    for (const [path, init, field] of cases) {
      const res = await fetch(`${agent.base}${path}`, init);
      expect(res.status, path).toBe(400);
      expect(((await res.json()) as { message: string }).message).toContain(field);
    }
    const unknown = await fetch(
      `${agent.base}/api/0/buckets/nope/heartbeat?pulsetime=1`,
      json({ timestamp: new Date().toISOString(), data: {} }),
    );
    expect(unknown.status).toBe(404);

    const ext = await fetch(`${agent.base}/api/0/info`, {
      method: 'OPTIONS',
      headers: { origin: 'moz-extension://abc-123', 'access-control-request-method': 'POST' },
    });
    expect(ext.status).toBe(204);
    expect(ext.headers.get('access-control-allow-origin')).toBe('moz-extension://abc-123');
    const site = await fetch(`${agent.base}/api/0/info`, { headers: { origin: 'https://evil.example' } });
    expect(site.headers.get('access-control-allow-origin')).toBeNull();
    const pauseFromPage = await fetch(`${agent.base}/sundial/pause`, {
      ...json({ until: null }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    expect(pauseFromPage.status).toBe(403);
  });

  it('keeps taking heartbeats while the server is down and answers reads 503', async () => {
    const { server: s, agent } = await setUp();
    await fetch(`${agent.base}/api/0/buckets/${BUCKET}`, json({ client: 'c', type: 'currentwindow', hostname: 'h' }));
    await s.t.app.close();
    const hb = await fetch(
      `${agent.base}/api/0/buckets/${BUCKET}/heartbeat?pulsetime=2`,
      json({ timestamp: new Date().toISOString(), data: { app: 'A' } }),
    );
    expect(hb.status).toBe(200);
    const read = await fetch(`${agent.base}/api/0/buckets/${BUCKET}/events`);
    expect(read.status).toBe(503);
    expect(((await read.json()) as { message: string }).message).toMatch(/cannot be reached.*kept on this computer/);
    expect(agent.queue.stats().length).toBe(1);
  });

  it('records nothing while paused through the control endpoint', async () => {
    const { agent } = await setUp();
    await fetch(`${agent.base}/api/0/buckets/${BUCKET}`, json({ client: 'c', type: 'currentwindow', hostname: 'h' }));
    await agent.syncer?.sync();
    const paused = await fetch(`${agent.base}/sundial/pause`, json({ until: null }));
    expect(((await paused.json()) as { paused: unknown }).paused).toEqual({ until: null });
    await fetch(
      `${agent.base}/api/0/buckets/${BUCKET}/heartbeat?pulsetime=2`,
      json({ timestamp: new Date().toISOString(), data: { app: 'A' } }),
    );
    expect(agent.queue.stats().length).toBe(0);
    await fetch(`${agent.base}/sundial/resume`, json({}));
    await fetch(
      `${agent.base}/api/0/buckets/${BUCKET}/heartbeat?pulsetime=2`,
      json({ timestamp: new Date().toISOString(), data: { app: 'A' } }),
    );
    expect(agent.queue.stats().length).toBe(1);
  });
});
