/**
 * The built `sundial agent` sub-commands as processes: pair with --token,
 * status / pause / resume against a running agent, install refused before
 * pairing and written after it (without the token), bad settings all at once.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIN } from '../../cli/test/cli-support.js';
import { runAgent } from './agent-support.js';
import { realServer } from './server-support.js';
import { tempDir } from './support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function sundial(args: string[], home: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('sundial agent commands', () => {
  it('status, pause with a duration, resume', async () => {
    const agent = await runAgent(null, [{ from: 0, app: 'Editor', title: 't' }]);
    cleanups.push(() => agent.stop());
    const home = tempDir();
    const status = await sundial(['agent', 'status', '--port', String(agent.port)], home);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/Server: +\(not paired\)/);
    expect(status.out).toMatch(/Paused: +no/);
    const paused = await sundial(['agent', 'pause', '30m', '--port', String(agent.port)], home);
    expect(paused.out).toMatch(/Paused: +yes, until \d{4}-/);
    const bad = await sundial(['agent', 'pause', 'soon', '--port', String(agent.port)], home);
    expect([bad.code, bad.err]).toEqual([2, expect.stringContaining("'soon' is not a duration")]);
    const resumed = await sundial(['agent', 'resume', '--port', String(agent.port)], home);
    expect(resumed.out).toMatch(/Paused: +no/);
    const nobody = await sundial(['agent', 'status', '--port', '1'], home);
    expect([nobody.code, nobody.err]).toEqual([1, expect.stringContaining('no agent answers')]);
  });

  it('pairs with --token, then installs an autostart entry that holds no token', async () => {
    const server = await realServer(['ingest']);
    cleanups.push(() => server.close());
    const home = tempDir();
    const refused = await sundial(['agent', 'install'], home);
    expect([refused.code, refused.err]).toEqual([2, expect.stringContaining('not paired')]);

    const paired = await sundial(['agent', 'pair', '--server', server.url, '--token', server.token], home);
    expect(paired.code, paired.err).toBe(0);
    const file = join(home, '.config', 'sundial-agent', 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ server: server.url, token: server.token });

    const installed = await sundial(['agent', 'install', '--port', '5611'], home);
    expect(installed.code, installed.err).toBe(0);
    const unit = join(home, '.config', 'systemd', 'user', 'sundial-agent.service');
    const text = readFileSync(unit, 'utf8');
    expect(text).toContain('"agent" "--port" "5611"');
    expect(text).not.toContain(server.token);
    expect((await sundial(['agent', 'uninstall'], home)).code).toBe(0);
    expect(existsSync(unit)).toBe(false);
  });

  it('reports every bad setting at once (exit 2)', async () => {
    const result = await sundial(
      ['agent', '--server', 'http://sundial.example.org', '--port', 'x', '--away-after', '1'],
      tempDir(),
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/refusing http:\/\//);
    expect(result.err).toMatch(/SUNDIAL_AGENT_PORT/);
    expect(result.err).toMatch(/SUNDIAL_AGENT_AWAY_AFTER/);
    expect(result.err).not.toMatch(/\n\s+at /);
  });
});
