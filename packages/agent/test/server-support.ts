/** A real Sundial server for the agent suites: the test app listening on a free port, a person and a device token. */
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../../server/test/helpers.js';
import { newPerson, newToken } from '../../server/test/activity/support.js';
import { withCookie } from '../../server/test/accounts/support.js';

export interface RealServer {
  readonly t: TestApp;
  readonly url: string;
  readonly token: string;
  readonly cookie: string;
  /** The person's events on the server, oldest first. */
  events(): Promise<{ id: string; kind: string; start: string; duration: number; data: Record<string, unknown> }[]>;
  setPrivacy(settings: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function realServer(scopes: readonly string[] = ['ingest', 'read']): Promise<RealServer> {
  const t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const me = await newPerson(t, 'agent');
  const { token } = await newToken(t, me, scopes);
  const reader = (await newToken(t, me, ['read'], 'reader')).token;
  return {
    t,
    url: `http://127.0.0.1:${port}`,
    token,
    cookie: me.cookie,
    async events() {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/v1/events?limit=10000',
        headers: { authorization: `Bearer ${reader}` },
      });
      if (res.statusCode !== 200) throw new Error(`GET /api/v1/events answered ${res.statusCode}`);
      return res.json<{ events: [] }>().events;
    },
    async setPrivacy(settings) {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/settings/privacy',
        payload: { detail: 'full', ignore: [], paused: false, retentionDays: null, ...settings },
        ...withCookie(me.cookie),
      });
      if (res.statusCode !== 200) throw new Error(`PUT privacy answered ${res.statusCode}: ${res.body}`);
    },
    close: () => t.close(),
  };
}
