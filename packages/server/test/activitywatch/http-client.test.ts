/**
 * The API over a real socket, used as an ActivityWatch watcher and client
 * use it: global fetch, a bearer token, JSON bodies.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, baseTime, iso } from './support.js';

eachDatabase('ActivityWatch API over HTTP', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  let token: string;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    token = (await awCaller(t)).token;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/0`;
  });
  afterEach(() => t.close());

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  it('serves a window watcher: bucket, heartbeats with pulsetime, events newest first, query', async () => {
    const info = await call('GET', '/info');
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ testing: false, device_id: expect.any(String) });

    const bucket = 'aw-watcher-window_testhost';
    const created = await call('POST', `/buckets/${bucket}`, {
      client: 'aw-watcher-window',
      type: 'currentwindow',
      hostname: 'testhost',
    });
    expect(created.status).toBe(200);
    const again = await call('POST', `/buckets/${bucket}`, {
      client: 'aw-watcher-window',
      type: 'currentwindow',
      hostname: 'testhost',
    });
    expect(again.status).toBe(304);

    // aw-watcher-window: a poll each second, pulsetime 2 s (the client pre-merges into longer beats).
    const base = baseTime();
    const editor = { app: 'Code', title: 'main.ts — sundial' };
    const shell = { app: 'Terminal', title: 'zsh' };
    const beats: [number, number, Record<string, string>][] = [
      [0, 0, editor],
      [1_000, 0, editor],
      [2_000, 0, editor],
      [3_000, 7, editor], // a pre-merged beat: 3 s + 7 s
      [11_000, 0, editor],
      [12_000, 0, shell],
      [13_500, 0.5, shell],
      [20_000, 0, shell], // 6 s after the last end (14 s), past the 2 s pulse: a new event
    ];
    let last: { id: number; duration: number } | null = null;
    for (const [offset, duration, data] of beats) {
      const res = await call('POST', `/buckets/${bucket}/heartbeat?pulsetime=2`, {
        timestamp: iso(base + offset),
        duration,
        data,
      });
      expect(res.status).toBe(200);
      last = (await res.json()) as { id: number; duration: number };
    }
    expect(last).toMatchObject({ duration: 0 });

    const events = await call('GET', `/buckets/${bucket}/events?limit=-1`);
    expect(events.status).toBe(200);
    const list = (await events.json()) as { id: number; timestamp: string; duration: number; data: unknown }[];
    expect(list.map((e) => [e.timestamp, e.duration, e.data])).toEqual([
      [iso(base + 20_000), 0, shell],
      [iso(base + 12_000), 2, shell],
      [iso(base), 11, editor],
    ]);
    expect(list[0]?.id).toBe(last?.id);
    expect(await (await call('GET', `/buckets/${bucket}/events/count`)).json()).toBe(3);

    const query = await call('POST', '/query/', {
      query: [
        `events = query_bucket("${bucket}");`,
        'events = merge_events_by_keys(events, ["app"]);',
        'RETURN = sort_by_duration(events);',
      ],
      timeperiods: [`${iso(base)}/${iso(base + 60_000)}`],
    });
    expect(query.status).toBe(200);
    const [result] = (await query.json()) as { duration: number; data: { app: string } }[][];
    expect(result?.map((e) => [e.data.app, e.duration])).toEqual([
      ['Code', 11],
      ['Terminal', 2],
    ]);

    const missing = await call('GET', '/buckets/aw-watcher-afk_testhost');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('aw-watcher-afk_testhost');
  });
});
