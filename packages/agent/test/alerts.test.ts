/** Fired alerts polled from the server become notifications, each once, also across restarts. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertPoller } from '../src/alerts/poller.js';
import { silentLog } from '../src/log.js';
import { ServerClient } from '../src/sync/client.js';
import { openLocal, tempDir } from './support.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function alertServer(answer: () => { status: number; firings: unknown[] }) {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    asked.push(req.url ?? '');
    const { status, firings } = answer();
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ firings }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  const client = new ServerClient({
    server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token: 'device-token-1',
  });
  closers.push(() => client.close());
  return { client, asked };
}

const firing = (alertId: string, firedAt: string) => ({
  alertId,
  name: `Alert ${alertId}`,
  day: '2026-01-05',
  firedAt,
  seconds: 3600,
});

describe('alert notifications', () => {
  it('shows each firing once, asks only for newer ones, and remembers across a restart', async () => {
    let firings = [firing('a', '2026-01-05T10:00:00.000Z'), firing('b', '2026-01-05T10:05:00.000Z')];
    const { client, asked } = await alertServer(() => ({ status: 200, firings }));
    const dir = tempDir();
    const shown: string[] = [];
    const notifier = {
      notify: async (t: { title: string; body: string }) => (shown.push(`${t.title} | ${t.body}`), true),
    };
    const local = openLocal({ dir });
    const now = () => Date.parse('2026-01-05T09:00:00Z');
    const poller = new AlertPoller({ client, notifier, state: local.state, log: silentLog, now });
    expect(await poller.poll()).toBe(2);
    expect(shown).toEqual([
      'Sundial: Alert a | 60 min today (2026-01-05)',
      'Sundial: Alert b | 60 min today (2026-01-05)',
    ]);
    expect(asked[0]).toBe(`/api/v1/alerts/status?since=${encodeURIComponent('2026-01-05T09:00:00.000Z')}`);
    // The server answers firings at `since` again: not shown twice.
    firings = [firing('b', '2026-01-05T10:05:00.000Z')];
    expect(await poller.poll()).toBe(0);
    expect(asked[1]).toContain(encodeURIComponent('2026-01-05T10:05:00.000Z'));
    local.db.close();

    const again = openLocal({ dir });
    firings = [firing('b', '2026-01-05T10:05:00.000Z'), firing('c', '2026-01-05T11:00:00.000Z')];
    const restarted = new AlertPoller({ client, notifier, state: again.state, log: silentLog, now });
    expect(await restarted.poll()).toBe(1);
    expect(shown.at(-1)).toContain('Alert c');
  });

  it('stops asking when the token may not read alerts', async () => {
    const { client, asked } = await alertServer(() => ({ status: 403, firings: [] }));
    const local = openLocal();
    const notifier = { notify: async () => true };
    const poller = new AlertPoller({ client, notifier, state: local.state, log: silentLog, now: Date.now });
    expect(await poller.poll()).toBe(0);
    expect(await poller.poll()).toBe(0);
    expect(asked).toHaveLength(1);
  });
});
