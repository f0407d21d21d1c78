/**
 * `sundial up` on a fresh data folder and a fresh home, on a real desktop
 * (Xvfb, openbox, xterm): it prints a link and a pairing code; the person
 * creates the first account and approves this computer; the agent inside
 * `up` then records the window in front, and the summary report shows it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, freshSetup, serve, type Running } from '../../cli/test/cli-support.js';
import { call } from './http-call.js';
import { startXSession, xSessionUnavailable, type XSession } from './watchers/x-session.js';

const unavailable = xSessionUnavailable();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects what `up` prints, and waits for a line. */
function printed(running: Running) {
  let text = '';
  running.child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    text: () => text,
    async waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
      const until = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(text);
        if (match) return match;
        if (Date.now() > until) throw new Error(`not printed within ${ms} ms: ${pattern}\n${text}`);
        await sleep(100);
      }
    },
  };
}

describe.skipIf(unavailable !== null)('sundial up on a fresh computer', () => {
  let session: XSession;
  let up: Running;

  beforeAll(async () => {
    session = await startXSession();
  });

  afterAll(async () => {
    if (up && up.child.exitCode === null) {
      up.child.kill('SIGTERM');
      await up.exited;
    }
    await cleanUp();
    await session?.stop();
  });

  it('pairs through the first-account link and then records the desktop', { timeout: 120_000 }, async () => {
    const window = await session.openXTerm('Sundial up first day');
    await session.focus(window);
    const setup = freshSetup();
    const home = setup.env.HOME ?? '';
    up = await serve(
      {
        HOME: home,
        DISPLAY: session.display,
        SUNDIAL_DATA_DIR: setup.dataDir,
        SUNDIAL_MASTER_KEY: randomBytes(32).toString('base64'),
        SUNDIAL_AGENT_PORT: '0',
        SUNDIAL_AGENT_SYNC_INTERVAL: '1',
      },
      ['up', '--port', '0'],
    );
    const out = printed(up);
    const [, code, link] = await out.waitFor(/Pairing code: (\S+)[\s\S]*Approve this device at: (\S+)/, 20_000);
    expect(link).toContain(`/devices/pair?code=${code ?? ''}`);

    // The person opens the link: a new instance asks for the first account, then the approval.
    const email = `up-${randomBytes(4).toString('hex')}@example.org`;
    const password = `copper lantern meadow ${randomBytes(6).toString('hex')}`;
    const signup = await call(`${up.url}/api/v1/auth/signup`, { method: 'POST', body: { email, password } });
    expect(signup.status, JSON.stringify(signup.body)).toBe(202);
    const login = await call(`${up.url}/api/v1/auth/login`, { method: 'POST', body: { email, password } });
    const cookie = /sundial_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(cookie).not.toBe('');
    const approve = await call(`${up.url}/api/v1/devices/approve`, { method: 'POST', cookie, body: { code } });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);

    await out.waitFor(/agent: recording/, 30_000);
    // The device token is kept in the person's config folder, readable by them alone.
    const credentials = join(home, '.config', 'sundial-agent', 'credentials.json');
    expect(existsSync(credentials)).toBe(true);
    expect(statSync(credentials).mode & 0o077).toBe(0);

    // A few seconds in front of the person, with input, then a sync or two.
    for (let i = 0; i < 8; i += 1) {
      await session.movePointer(200 + (i % 2) * 30, 200);
      await sleep(700);
    }
    const date = new Date().toISOString().slice(0, 10);
    let seconds = 0;
    let seen: unknown = null;
    for (let tries = 0; tries < 20 && seconds < 4; tries += 1) {
      await sleep(1000);
      const summary = await call(`${up.url}/api/v1/reports/summary?from=${date}&to=${date}&tz=UTC&limit=50`, {
        cookie,
      });
      expect(summary.status, JSON.stringify(summary.body)).toBe(200);
      seen = summary.body;
      const byApp = (summary.body as { byApp: { name: string; seconds: number }[] }).byApp;
      seconds = byApp.find((app) => app.name === 'XTerm')?.seconds ?? 0;
    }
    expect(seconds, JSON.stringify(seen)).toBeGreaterThanOrEqual(4);

    // The device the person approved is listed, and has reported its status.
    const devices = await call(`${up.url}/api/v1/devices`, { cookie });
    expect(JSON.stringify(devices.body)).toContain(
      approve.body ? (approve.body as { device: { id: string } }).device.id : '',
    );

    up.child.kill('SIGTERM');
    const finished = await up.exited;
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain('Sundial stopped.');
  });
});
