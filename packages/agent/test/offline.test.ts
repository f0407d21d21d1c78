/**
 * Offline, with real processes: the built `sundial serve` and `sundial agent`
 * (replaying a scripted session). The server is stopped for a while, later
 * killed with -9; the agent is killed with -9 once. Afterwards the server
 * holds every recorded second exactly once: no second twice, none missing
 * except while the agent itself was dead, each with the right app.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, freshSetup, MAIN, serve, type Running } from '../../cli/test/cli-support.js';
import { tempDir } from './support.js';

afterEach(cleanUp);

const home0 = () => tempDir();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function json(url: string, init: RequestInit & { cookie?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.cookie) headers.cookie = `sundial_session=${init.cookie}`;
  const res = await fetch(url, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  return { status: res.status, body: (await res.json().catch(() => null)) as unknown, headers: res.headers };
}

/** A person on the running server with full detail and an ingest+read device token. */
async function personAndToken(url: string): Promise<{ token: string; reader: string }> {
  const email = `agent-${randomBytes(4).toString('hex')}@example.org`;
  const password = `tidal ochre lantern ${randomBytes(6).toString('hex')}`;
  expect(
    (await json(`${url}/api/v1/auth/signup`, { method: 'POST', body: JSON.stringify({ email, password }) })).status,
  ).toBe(202);
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = /sundial_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`log-in answered ${login.status}`);
  const privacy = await json(`${url}/api/v1/settings/privacy`, {
    method: 'PUT',
    cookie,
    body: JSON.stringify({ detail: 'full', ignore: [], paused: false, retentionDays: null }),
  });
  expect(privacy.status).toBe(200);
  const token = await json(`${url}/api/v1/tokens`, {
    method: 'POST',
    cookie,
    body: JSON.stringify({ name: 'laptop', scopes: ['ingest'], password }),
  });
  const reader = await json(`${url}/api/v1/tokens`, {
    method: 'POST',
    cookie,
    body: JSON.stringify({ name: 'reader', scopes: ['read'], password }),
  });
  return { token: (token.body as { token: string }).token, reader: (reader.body as { token: string }).token };
}

function startAgentProcess(
  args: string[],
  home: string,
): { child: ChildProcess; ready: Promise<number>; output: () => string } {
  const child = spawn(process.execPath, [MAIN, 'agent', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`agent not ready: ${out}`)), 20_000);
    child.stdout?.on('data', () => {
      const match = /local API on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
  });
  return { child, ready, output: () => out };
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

describe('offline: server stopped and killed, agent killed', () => {
  it('ends with every recorded second on the server exactly once', { timeout: 120_000 }, async () => {
    const setup = freshSetup();
    const env = {
      HOME: setup.env.HOME ?? home0(),
      SUNDIAL_DATA_DIR: setup.dataDir,
      SUNDIAL_MASTER_KEY: randomBytes(32).toString('base64'),
    };
    const port = await freePort();
    const args = ['serve', '--port', String(port)];
    let server: Running = await serve(env, args);
    const { token, reader } = await personAndToken(server.url);

    const dir = tempDir();
    const t0 = Date.now() + 3000;
    const apps = ['Editor', 'Terminal', 'Browser', 'Mail', 'Editor', 'Terminal'];
    const segmentMs = 7000;
    const tEnd = t0 + apps.length * segmentMs;
    const segments = [
      ...apps.map((app, i) => ({ from: t0 + i * segmentMs, app, title: `${app} ${i}` })),
      // No window afterwards: recording stops at tEnd.
      { from: tEnd },
    ];
    const script = join(dir, 'session.json');
    writeFileSync(script, JSON.stringify({ segments }));
    const home = join(dir, 'home');
    mkdirSync(home);
    const agentArgs = [
      '--server',
      server.url,
      '--token',
      token,
      '--port',
      '0',
      '--data-dir',
      join(dir, 'data'),
      '--config-dir',
      join(dir, 'config'),
      '--watcher',
      `script:${script}`,
      '--sync-interval',
      '1',
    ];
    let agent = startAgentProcess(agentArgs, home);
    await agent.ready;

    // The server stops cleanly for a while …
    await sleep(t0 + 6000 - Date.now());
    server.child.kill('SIGTERM');
    await server.exited;
    await sleep(6000);
    server = await serve(env, args);
    // … is killed with -9 …
    await sleep(t0 + 20_000 - Date.now());
    server.child.kill('SIGKILL');
    await server.exited;
    await sleep(4000);
    server = await serve(env, args);
    // … and the agent is killed with -9 once.
    await sleep(t0 + 30_000 - Date.now());
    const agentKilledAt = Date.now();
    agent.child.kill('SIGKILL');
    await exited(agent.child);
    await sleep(2000);
    agent = startAgentProcess(agentArgs, home);
    const agentPort = await agent.ready;
    const agentBackAt = Date.now();

    // Past the end; then the queue drains (asked through `sundial agent status`).
    await sleep(tEnd + 2000 - Date.now());
    const statusOf = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [MAIN, 'agent', 'status', '--port', String(agentPort)], {
          env: { PATH: process.env.PATH ?? '', HOME: home },
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('close', () => resolve(out));
      });
    let status = await statusOf();
    for (let i = 0; i < 60 && !/Queue: +0 events waiting/.test(status); i += 1) {
      await sleep(1000);
      status = await statusOf();
    }
    expect(status).toMatch(/Queue: +0 events waiting/);
    expect(status).toMatch(/Watcher: +script ok/);
    agent.child.kill('SIGTERM');
    await exited(agent.child);

    const read = await json(`${server.url}/api/v1/events?limit=10000&kind=window`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    const events = (read.body as { events: { start: string; duration: number; data: { app: string } }[] }).events.map(
      (e) => ({
        start: Date.parse(e.start),
        end: Date.parse(e.start) + Math.round(e.duration * 1000),
        app: e.data.app,
      }),
    );
    // Every whole second of the session: covered exactly once and by the right app, except
    // while the agent was dead (its downtime is not activity it could see) and within a poll of
    // each window change.
    let checked = 0;
    for (let s = t0 + 1500; s < tEnd - 1000; s += 1000) {
      if (s > agentKilledAt - 1500 && s < agentBackAt + 1500) continue;
      const index = Math.floor((s - t0) / segmentMs);
      const offset = (s - t0) % segmentMs;
      const covering = events.filter((e) => e.start <= s && s < e.end);
      expect(
        covering.length,
        `second at +${s - t0} ms in ${JSON.stringify(events.map((e) => [e.start - t0, e.end - t0, e.app]))}`,
      ).toBe(1);
      if (offset > 1200 && offset < segmentMs - 1200) expect(covering[0]?.app).toBe(apps[index]);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(20);
    // No two events overlap anywhere.
    const sorted = [...events].sort((a, b) => a.start - b.start);
    for (let i = 1; i < sorted.length; i += 1) expect(sorted[i]?.start).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? 0);
  });
});
