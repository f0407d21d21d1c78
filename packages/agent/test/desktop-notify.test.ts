// Desktop notifications: argv per platform, bounded text, a missing notifier logged once; and a real notify-send.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentLog } from '../src/log.js';
import { createCommandRunner, createNotifier, notifierCommand, type RunCommand } from '../src/notify/index.js';
import { BODY_LIMIT, TITLE_LIMIT } from '../src/notify/notify-commands.js';
import { startXSession, xSessionUnavailable, type XSession } from './watchers/x-session.js';

const run = promisify(execFile);

function recordingLog(): AgentLog & { lines: { level: string; message: string; fields: unknown }[] } {
  const lines: { level: string; message: string; fields: unknown }[] = [];
  const at = (level: string) => (message: string, fields?: unknown) => void lines.push({ level, message, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

function fakeRun(result: { code: number | null; errorCode?: string }) {
  const calls: { command: string; args: readonly string[] }[] = [];
  const runner: RunCommand = async (command, args) => {
    calls.push({ command, args });
    return result;
  };
  return { calls, runner };
}

describe('notifier commands', () => {
  const hostile = { title: '-rf $(reboot); `id` "quoted"', body: "it's ‘fine’; $HOME\n&& rm -rf /" };

  it('Linux: notify-send with the text as separate arguments after --', () => {
    expect(notifierCommand('linux', hostile)).toEqual({
      command: 'notify-send',
      args: ['--app-name=Sundial', '--', hostile.title, hostile.body],
    });
  });

  it('macOS: osascript reading title and body from argv, never from the script text', () => {
    const command = notifierCommand('darwin', hostile);
    expect(command?.command).toBe('/usr/bin/osascript');
    const script = command?.args.filter((_, i, all) => all[i - 1] === '-e').join('\n') ?? '';
    expect(script).not.toContain('reboot');
    expect(script).toContain('item 1 of argv');
    // A leading '-' would be read as an osascript option.
    expect(command?.args.slice(-2)).toEqual([` ${hostile.title}`, hostile.body]);
  });

  it('Windows: a PowerShell toast whose text is base64 inside the encoded script', () => {
    const command = notifierCommand('win32', hostile);
    expect(command?.command).toBe('powershell.exe');
    const script = Buffer.from(command?.args.at(-1) ?? '', 'base64').toString('utf16le');
    expect(script).toContain('ToastNotificationManager');
    expect(script).not.toContain('reboot');
    expect(script).toContain(Buffer.from(hostile.title, 'utf8').toString('base64'));
  });

  it('bounds the text and removes control characters', () => {
    const command = notifierCommand('linux', { title: `a\u0007b${'t'.repeat(500)}`, body: '😀'.repeat(1000) });
    const [title, body] = command?.args.slice(-2) ?? [];
    expect(title?.startsWith('a b')).toBe(true);
    expect(title).toHaveLength(TITLE_LIMIT);
    expect(title?.endsWith('…')).toBe(true);
    expect(body?.length).toBeLessThanOrEqual(BODY_LIMIT);
    // No lone surrogate where the emoji were cut.
    expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(notifierCommand('aix', { title: 'x', body: 'y' })).toBeNull();
  });
});

describe('notifier', () => {
  it('runs the platform command and reports success', async () => {
    const { calls, runner } = fakeRun({ code: 0 });
    const notifier = createNotifier({ platform: 'linux', log: recordingLog(), run: runner });
    expect(await notifier.notify({ title: 'Goal reached', body: '2 h of focus' })).toBe(true);
    expect(calls).toEqual([
      { command: 'notify-send', args: ['--app-name=Sundial', '--', 'Goal reached', '2 h of focus'] },
    ]);
  });

  it('a missing notifier is logged once, without the text, and not looked for again', async () => {
    const log = recordingLog();
    const { calls, runner } = fakeRun({ code: null, errorCode: 'ENOENT' });
    const notifier = createNotifier({ platform: 'linux', log, run: runner });
    expect(await notifier.notify({ title: 'Secret project', body: 'limit' })).toBe(false);
    expect(await notifier.notify({ title: 'Secret project', body: 'limit' })).toBe(false);
    expect(calls).toHaveLength(1);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]?.level).toBe('warn');
    expect(JSON.stringify(log.lines)).not.toContain('Secret');
    expect(JSON.stringify(log.lines)).toContain('libnotify-bin');
  });

  it('a failing notifier is logged once and still tried for later alerts', async () => {
    const log = recordingLog();
    const { calls, runner } = fakeRun({ code: 1 });
    const notifier = createNotifier({ platform: 'darwin', log, run: runner });
    await notifier.notify({ title: 'a', body: 'b' });
    await notifier.notify({ title: 'a', body: 'b' });
    expect(calls).toHaveLength(2);
    expect(log.lines).toHaveLength(1);
  });

  it('a platform without a notifier is logged once', async () => {
    const log = recordingLog();
    const notifier = createNotifier({ platform: 'aix', log });
    expect(await notifier.notify({ title: 'a', body: 'b' })).toBe(false);
    expect(await notifier.notify({ title: 'a', body: 'b' })).toBe(false);
    expect(log.lines).toHaveLength(1);
  });

  it('the real runner reports a program that is not installed as ENOENT', async () => {
    const result = await createCommandRunner()('sundial-no-such-notifier', ['x']);
    expect(result).toEqual({ code: null, errorCode: 'ENOENT' });
  });
});

const realUnavailable = !existsSync('/usr/bin/notify-send')
  ? 'notify-send is not installed (apt-get install libnotify-bin)'
  : !existsSync('/usr/bin/dunst') || !existsSync('/usr/bin/dbus-daemon')
    ? 'no notification daemon to receive it (apt-get install dunst dbus)'
    : xSessionUnavailable();

describe.skipIf(realUnavailable !== null)('real notify-send to a notification daemon', () => {
  let session: XSession;
  let bus: ChildProcess;
  let daemon: ChildProcess;
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    session = await startXSession();
    dir = mkdtempSync(join(tmpdir(), 'sundial-notify-'));
    bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1', `--address=unix:path=${dir}/bus`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const address = await new Promise<string>((resolve, reject) => {
      bus.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      bus.once('exit', () => reject(new Error('dbus-daemon exited')));
    });
    env = { ...session.env, DBUS_SESSION_BUS_ADDRESS: address, HOME: dir, XDG_CONFIG_HOME: dir };
    daemon = spawn('dunst', [], { env, stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ready = await run('dunstctl', ['is-paused'], { env }).then(
        () => true,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error('dunst did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    daemon?.kill('SIGTERM');
    bus?.kill('SIGTERM');
    await session?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the notification arrives with its title and body', async () => {
    const notifier = createNotifier({ platform: 'linux', log: recordingLog(), run: createCommandRunner(env) });
    const shown = await notifier.notify({ title: '-Daily limit: $(id)', body: 'Social media: 45 min of 30 min' });
    expect(shown).toBe(true);
    // Notifications on screen move to the daemon's history once closed.
    await run('dunstctl', ['close-all'], { env });
    const { stdout } = await run('dunstctl', ['history'], { env });
    expect(stdout).toContain('-Daily limit: $(id)');
    expect(stdout).toContain('Social media: 45 min of 30 min');
    expect(stdout).toContain('Sundial');
  });
});
