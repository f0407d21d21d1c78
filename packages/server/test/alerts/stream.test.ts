/**
 * GET /api/v1/alerts/stream on a real listening server, read with fetch:
 * a firing arrives as a Server-Sent Event, a person has at most five open
 * streams (a closed one frees its place), and stopping the server ends the
 * streams still open.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { ingest, MINUTE, newPerson, newToken, setup, T0, windowEvent, type Ctx } from '../activity/support.js';
import { createAlert, firings, type FiringView } from './support.js';

interface OpenStream {
  readonly status: number;
  readonly headers: Headers;
  /** Reads on until the text so far contains `marker`; answers all of it. */
  until(marker: string): Promise<string>;
  /** The data of each `firing` event received whole so far, reading on until there are `count`. */
  firings(count: number): Promise<FiringView[]>;
  /** Reads on until the server ends the stream; answers all of it. */
  rest(): Promise<string>;
  close(): void;
}

eachDatabase('alerts: event stream', (kind) => {
  let c: Ctx;
  let base: string;
  const opened: OpenStream[] = [];
  beforeEach(async () => {
    c = await setup(kind);
    base = await c.t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterEach(async () => {
    for (const stream of opened.splice(0)) stream.close();
    // Node 20's fetch (undici) opens spare connections after aborted requests that never
    // send one; Node does not count them idle, so close would wait out the 60 s timeout.
    c.t.app.server.closeAllConnections();
    await c.t.close();
  });

  async function open(token = c.token): Promise<OpenStream> {
    const controller = new AbortController();
    const res = await fetch(`${base}/api/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const stream: OpenStream = {
      status: res.status,
      headers: res.headers,
      async until(marker) {
        while (!text.includes(marker)) {
          const chunk = await reader?.read();
          if (chunk === undefined || chunk.done) throw new Error(`the stream ended before ${marker}: ${text}`);
          text += decoder.decode(chunk.value, { stream: true });
        }
        return text;
      },
      async firings(count) {
        const parsed = () =>
          [...text.matchAll(/^event: firing\ndata: (.*)\n\n/gm)].map((m) => JSON.parse(m[1] ?? '') as FiringView);
        while (parsed().length < count) {
          const chunk = await reader?.read();
          if (chunk === undefined || chunk.done) throw new Error(`the stream ended before ${count} firings: ${text}`);
          text += decoder.decode(chunk.value, { stream: true });
        }
        return parsed();
      },
      async rest() {
        for (;;) {
          const chunk = await reader?.read();
          if (chunk === undefined || chunk.done) return text;
          text += decoder.decode(chunk.value, { stream: true });
        }
      },
      close: () => controller.abort(),
    };
    opened.push(stream);
    return stream;
  }

  it('sends a firing as it happens', async () => {
    const { t, me, token } = c;
    const alert = await createAlert(t, me.cookie, { name: 'Editing' });
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    // The headers every answer carries are sent on the hijacked stream too.
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    expect(stream.headers.get('cache-control')).toBe('no-store');
    expect(stream.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await stream.until(': connected\n\n');

    await ingest(t, token, [windowEvent(T0 - 45 * MINUTE, 30 * MINUTE, 'Editor')]);
    expect(await stream.firings(1)).toEqual([
      { alertId: alert.id, name: 'Editing', day: '2025-06-01', firedAt: new Date(T0).toISOString(), seconds: 1800 },
    ]);
  });

  it("does not send another person's firings", async () => {
    const { t, me, token } = c;
    const other = await newPerson(t, 'other');
    const otherToken = (await newToken(t, other)).token;
    await createAlert(t, me.cookie);
    await createAlert(t, other.cookie, { name: 'Theirs' });
    const mine = await open(token);
    await mine.until(': connected\n\n');
    await ingest(t, otherToken, [windowEvent(T0 - 45 * MINUTE, 30 * MINUTE, 'Editor')]);
    await t.services.alerts.idle();
    expect(await firings(t, otherToken)).toHaveLength(1);
    await ingest(t, token, [windowEvent(T0 - 45 * MINUTE, 30 * MINUTE, 'Editor')]);
    // Their firing came first: had it been sent here, it would be the first one read.
    expect((await mine.firings(1)).map((f) => f.name)).toEqual(['Enough editing']);
  });

  it('allows five open streams per person; a closed stream frees its place', async () => {
    const streams = [];
    for (let i = 0; i < 5; i++) {
      const stream = await open();
      expect(stream.status).toBe(200);
      await stream.until(': connected\n\n');
      streams.push(stream);
    }
    const refused = await fetch(`${base}/api/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${c.token}`, accept: 'text/event-stream' },
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');

    streams[0]?.close();
    // The server learns of the closed connection asynchronously.
    await vi.waitFor(
      async () => {
        const again = await open();
        expect(again.status).toBe(200);
      },
      { timeout: 10_000, interval: 50 },
    );
  });

  it('answers a client that does not ask for an event stream at once, with a 400', async () => {
    const res = await c.t.app.inject({
      method: 'GET',
      url: '/api/v1/alerts/stream',
      headers: { authorization: `Bearer ${c.token}` },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { message: string } }>().error.message).toMatch(/Accept: text\/event-stream/);
    // No HEAD for the stream (it would hang); HEAD reaches /api/v1/alerts/:id, which has no alert "stream".
    const head = await c.t.app.inject({
      method: 'HEAD',
      url: '/api/v1/alerts/stream',
      headers: { authorization: `Bearer ${c.token}`, accept: 'text/event-stream' },
    });
    expect(head.statusCode).toBe(404);
  });

  it('ends open streams when the server stops', async () => {
    const stream = await open();
    await stream.until(': connected\n\n');
    const closing = c.t.app.close();
    await expect(stream.rest()).resolves.toContain(': connected');
    await closing;
  });
});
