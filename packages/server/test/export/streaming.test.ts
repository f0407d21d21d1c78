/**
 * Large exports stream: events are read a page (2 000) at a time, only as
 * the reader asks for them, and the answer goes out in chunks without a
 * Content-Length; an import of such an export is split into batches.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { COOKIE } from '../accounts/support.js';
import { ingest, newPerson, setup, T0, type Ctx, type WireEvent } from '../activity/support.js';
import { EXPORT_PAGE_SIZE, exporter } from '../../src/services/export.js';
import { exportJson, exportRequest, importRequest, readCsv, type Doc } from './support.js';

const EVENTS = 6000;

/** GET over a real socket: the headers as sent, and the body as the chunks it arrived in. */
function fetchChunks(port: number, path: string, cookie: string) {
  return new Promise<{ headers: Record<string, unknown>; chunks: Buffer[] }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { cookie: `${COOKIE}=${cookie}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, chunks }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

eachDatabase('export streaming', (kind) => {
  let c: Ctx;
  beforeAll(async () => {
    c = await setup(kind);
    const start = T0 - 2 * 86_400_000;
    const events: WireEvent[] = Array.from({ length: EVENTS }, (_, i) => ({
      id: randomUUID(),
      kind: 'window',
      start: new Date(start + i * 10_000).toISOString(),
      duration: 5,
      data: { app: `app ${i % 7}`, title: `window ${i}` },
    }));
    await ingest(c.t, c.token, events);
  });
  afterAll(async () => c.t.close());

  it('reads events a page at a time, never more than a page at once', async () => {
    const page = vi.spyOn(c.t.store.events, 'page');
    try {
      const doc = await exportJson(c.t, c.me.cookie);
      expect(doc.events).toHaveLength(EVENTS);
      const limits = page.mock.calls.map((call) => call[2]);
      expect(limits.every((limit) => limit === EXPORT_PAGE_SIZE)).toBe(true);
      // Three full pages, then one that finds nothing more.
      expect(page.mock.calls).toHaveLength(EVENTS / EXPORT_PAGE_SIZE + 1);
      for (const result of page.mock.results) expect((await result.value).length).toBeLessThanOrEqual(EXPORT_PAGE_SIZE);
    } finally {
      page.mockRestore();
    }
  });

  it('reads the next page only when the reader asks for it', async () => {
    const page = vi.spyOn(c.t.store.events, 'page');
    try {
      const { activity, categories, accounts } = c.t.services;
      const pages = exporter({ store: c.t.store, activity, categories, accounts }).events(c.me.id);
      const first = await pages.next();
      expect(first.done).toBe(false);
      expect(first.value).toHaveLength(EXPORT_PAGE_SIZE);
      expect(page).toHaveBeenCalledTimes(1);
      await pages.next();
      expect(page).toHaveBeenCalledTimes(2);
      await pages.return(undefined);
      expect(page).toHaveBeenCalledTimes(2);
    } finally {
      page.mockRestore();
    }
  });

  it('sends the document in chunks, without a Content-Length', async () => {
    const address = await c.t.app.listen({ port: 0, host: '127.0.0.1' });
    expect(address).toMatch(/^http:/);
    const { port } = c.t.app.server.address() as AddressInfo;
    for (const format of ['json', 'csv'] as const) {
      const { headers, chunks } = await fetchChunks(port, `/api/v1/export?format=${format}`, c.me.cookie);
      expect(headers['transfer-encoding']).toBe('chunked');
      expect(headers['content-length']).toBeUndefined();
      expect(chunks.length).toBeGreaterThan(1);
      const text = Buffer.concat(chunks).toString('utf8');
      if (format === 'json') {
        const doc = JSON.parse(text) as Doc;
        const starts = doc.events.map((e) => String(e['start']));
        expect(starts).toHaveLength(EVENTS);
        expect(starts).toEqual([...starts].sort());
      } else {
        expect(readCsv(text)).toHaveLength(EVENTS + 1);
      }
    }
  });

  it('imports such an export into another account in batches', async () => {
    const doc = await exportJson(c.t, c.me.cookie);
    const other = await newPerson(c.t, 'other');
    const batch = vi.spyOn(c.t.services.activity.ingest, 'batch');
    try {
      const res = await importRequest(c.t, other.cookie, doc);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ events: EVENTS });
      expect(batch.mock.calls.map((call) => call[2].length)).toEqual([5000, 1000]);
    } finally {
      batch.mockRestore();
    }
    const csv = (cookie: string) => exportRequest(c.t, cookie, 'csv').then((r) => r.body);
    expect(await csv(other.cookie)).toBe(await csv(c.me.cookie));
  });
});
