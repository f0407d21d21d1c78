// Autostart entries written into a temporary home: systemd user unit, launchd plist, Windows Startup script.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AutostartError, installAutostart, uninstallAutostart } from '../src/autostart/index.js';
import { systemdUnit } from '../src/autostart/entries.js';
import type { RunCommand } from '../src/notify/index.js';
import type { PlatformEnv } from '../src/paths.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sundial-autostart-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const command = ['/opt/node 20/bin/node', '/opt/sundial/main.js', 'agent', '--note=100%$HOME"x\\'];

function fakeRun(code: (command: string, args: readonly string[]) => number | null) {
  const calls: string[] = [];
  const run: RunCommand = async (cmd, args) => {
    calls.push([cmd, ...args].join(' '));
    const result = code(cmd, args);
    return result === null ? { code: null, errorCode: 'ENOENT' } : { code: result };
  };
  return { calls, run };
}

const linux = (): PlatformEnv => ({ platform: 'linux', home, vars: {} });
const mode = (file: string) => statSync(file).mode & 0o777;

describe('systemd user unit', () => {
  it('is written with the command quoted, enabled with systemctl when a user manager answers', async () => {
    const { calls, run } = fakeRun(() => 0);
    const result = await installAutostart({ env: linux(), command, environment: { DISPLAY: ':0' }, run });
    const file = join(home, '.config', 'systemd', 'user', 'sundial-agent.service');
    expect(result).toEqual({ file, applied: true, instructions: [] });
    expect(mode(file)).toBe(0o644);
    const unit = readFileSync(file, 'utf8');
    expect(unit).toContain(
      'ExecStart="/opt/node 20/bin/node" "/opt/sundial/main.js" "agent" "--note=100%%$$HOME\\"x\\\\"',
    );
    expect(unit).toContain('Environment="DISPLAY=:0"');
    expect(unit).toContain('WantedBy=default.target');
    expect(calls).toEqual([
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      'systemctl --user enable --now sundial-agent.service',
    ]);
  });

  it.skipIf(!existsSync('/usr/bin/systemd-analyze'))('systemd itself accepts the unit', () => {
    const runtime = join(home, 'runtime');
    mkdirSync(runtime, { mode: 0o700 });
    const file = join(home, 'sundial-agent.service');
    // systemd-analyze verify wants an executable that exists.
    writeFileSync(file, systemdUnit({ command: ['/bin/true', ...command.slice(1)], environment: { DISPLAY: ':0' } }));
    const verify = () =>
      execFileSync('/usr/bin/systemd-analyze', ['verify', '--user', '--man=no', file], {
        encoding: 'utf8',
        env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: runtime },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    expect(verify).not.toThrow();
    // The same check refuses a unit with broken quoting.
    writeFileSync(file, '[Service]\nExecStart="/bin/true" "unterminated\n');
    expect(verify).toThrow(/Unbalanced quoting/);
  });

  it('without a user manager: written, and the commands to run are returned', async () => {
    const { calls, run } = fakeRun((_, args) => (args.includes('show-environment') ? 1 : 0));
    const result = await installAutostart({
      env: { platform: 'linux', home, vars: { XDG_CONFIG_HOME: join(home, 'cfg') } },
      command,
      run,
    });
    expect(result.file).toBe(join(home, 'cfg', 'systemd', 'user', 'sundial-agent.service'));
    expect(existsSync(result.file)).toBe(true);
    expect(result.applied).toBe(false);
    expect(result.instructions).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable --now sundial-agent.service',
    ]);
    expect(calls).toEqual(['systemctl --user show-environment']);
  });

  it('uninstall disables, removes the unit and its enable link', async () => {
    const { run } = fakeRun((_, args) => (args.includes('show-environment') ? 1 : 0));
    const { file } = await installAutostart({ env: linux(), command, run });
    const wants = join(home, '.config', 'systemd', 'user', 'default.target.wants');
    mkdirSync(wants, { recursive: true });
    symlinkSync(file, join(wants, 'sundial-agent.service'));

    const manager = fakeRun(() => 0);
    const result = await uninstallAutostart({ env: linux(), run: manager.run });
    expect(result).toMatchObject({ file, existed: true, applied: true, instructions: [] });
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(wants, 'sundial-agent.service'))).toBe(false);
    expect(manager.calls).toEqual([
      'systemctl --user show-environment',
      'systemctl --user disable --now sundial-agent.service',
      'systemctl --user daemon-reload',
    ]);

    const again = await uninstallAutostart({ env: linux(), run: manager.run });
    expect(again).toMatchObject({ existed: false, applied: false, instructions: [] });
  });

  it('refuses secrets and control characters', async () => {
    const { run } = fakeRun(() => 0);
    await expect(
      installAutostart({ env: linux(), command, environment: { SUNDIAL_AGENT_TOKEN: 'sd_x' }, run }),
    ).rejects.toThrow(AutostartError);
    await expect(
      installAutostart({ env: linux(), command: ['/bin/node', 'a\nExecStartPre=/bin/evil'], run }),
    ).rejects.toThrow(/control character/);
    expect(existsSync(join(home, '.config', 'systemd', 'user', 'sundial-agent.service'))).toBe(false);
  });
});

describe('launchd agent', () => {
  const mac = (): PlatformEnv => ({ platform: 'darwin', home, vars: {} });

  it('writes a plist with the arguments escaped and loads it', async () => {
    const { calls, run } = fakeRun(() => 0);
    const result = await installAutostart({
      env: mac(),
      command: ['/usr/local/bin/node', '/a&b/<main>.js', 'agent'],
      run,
    });
    const file = join(home, 'Library', 'LaunchAgents', 'org.sundial.agent.plist');
    expect(result).toEqual({ file, applied: true, instructions: [] });
    expect(mode(file)).toBe(0o644);
    const plist = readFileSync(file, 'utf8');
    expect(plist).toContain('<string>org.sundial.agent</string>');
    expect(plist).toContain('<string>/a&amp;b/&lt;main&gt;.js</string>');
    expect(plist).toContain('<key>RunAtLoad</key>');
    expect(plist).toContain(join(home, 'Library', 'Logs', 'sundial-agent.log'));
    expect(calls).toEqual([`launchctl load -w ${file}`]);

    const removed = await uninstallAutostart({ env: mac(), run });
    expect(removed).toMatchObject({ existed: true, applied: true });
    expect(existsSync(file)).toBe(false);
    expect(calls.at(-1)).toBe(`launchctl unload -w ${file}`);
  });

  it('without launchctl: the command to run is returned', async () => {
    const { run } = fakeRun(() => null);
    const result = await installAutostart({ env: mac(), command, run });
    expect(result.applied).toBe(false);
    expect(result.instructions).toEqual([`launchctl load -w ${result.file}`]);
  });
});

describe('Windows startup entry', () => {
  it('writes a script in the Startup folder of APPDATA and removes it', async () => {
    const appData = join(home, 'AppData', 'Roaming');
    const env: PlatformEnv = { platform: 'win32', home, vars: { APPDATA: appData } };
    const { calls, run } = fakeRun(() => 0);
    const result = await installAutostart({
      env,
      command: ['C:\\Program Files\\nodejs\\node.exe', 'C:\\sundial\\main.js', 'agent', '50%'],
      run,
    });
    const file = join(appData, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Startup', 'sundial-agent.cmd');
    expect(result.file).toBe(file);
    const script = readFileSync(file, 'utf8');
    expect(script).toContain(
      'start "Sundial agent" /min "C:\\Program Files\\nodejs\\node.exe" "C:\\sundial\\main.js" "agent" "50%%"\r\n',
    );
    expect(calls).toEqual([]);
    await expect(installAutostart({ env, command: ['node', 'say "hi"'], run })).rejects.toThrow(/double quote/);

    expect(await uninstallAutostart({ env, run })).toMatchObject({ existed: true });
    expect(existsSync(file)).toBe(false);
  });
});
