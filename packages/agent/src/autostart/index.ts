/**
 * `sundial agent install` / `uninstall`: starts the agent with the person's
 * session. Linux gets a systemd user unit (enabled with systemctl when a user
 * manager answers, otherwise the commands to run are returned), macOS a
 * launchd agent, Windows a script in the Startup folder.
 */
import { chmod, lstat, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand, type RunCommand } from '../notify/notifier.js';
import type { PlatformEnv } from '../paths.js';
import {
  AutostartError,
  LAUNCHD_LABEL,
  launchdPlist,
  SYSTEMD_UNIT_NAME,
  systemdUnit,
  WINDOWS_STARTUP_NAME,
  windowsStartupScript,
} from './entries.js';

export { AutostartError } from './entries.js';

export interface AutostartOptions {
  /** Platform, home folder and XDG / APPDATA variables (from config.ts). */
  readonly env: PlatformEnv;
  /** The agent in the foreground: program and arguments. Install only. */
  readonly command?: readonly string[];
  /** Extra environment for the agent (DISPLAY, …); names that look like secrets are refused. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Runs systemctl / launchctl; tests pass a fake. */
  readonly run?: RunCommand;
}

export interface AutostartResult {
  /** The file written or removed. */
  readonly file: string;
  /** true when the service manager has started (install) or stopped (uninstall) the agent. */
  readonly applied: boolean;
  /** Commands for the person to run when it could not be done here; empty otherwise. */
  readonly instructions: readonly string[];
  /** uninstall only: whether there was anything to remove. */
  readonly existed?: boolean;
}

/** Entries are read by the service manager, never hold secrets, and are the person's own. */
const ENTRY_MODE = 0o644;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function systemdDir(env: PlatformEnv): string {
  return join(nonEmpty(env.vars.XDG_CONFIG_HOME) ?? join(env.home, '.config'), 'systemd', 'user');
}

/** Where `systemctl --user enable` puts its link for `WantedBy=default.target`. */
function systemdWantsLink(env: PlatformEnv): string {
  return join(systemdDir(env), 'default.target.wants', SYSTEMD_UNIT_NAME);
}

function windowsStartupDir(env: PlatformEnv): string {
  const appData = nonEmpty(env.vars.APPDATA) ?? join(env.home, 'AppData', 'Roaming');
  return join(appData, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Startup');
}

/** The file an install writes on this platform. */
export function autostartFile(env: PlatformEnv): string {
  switch (env.platform) {
    case 'darwin':
      return join(env.home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
    case 'win32':
      return join(windowsStartupDir(env), WINDOWS_STARTUP_NAME);
    default:
      return join(systemdDir(env), SYSTEMD_UNIT_NAME);
  }
}

async function writeEntry(file: string, dir: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(file, text, { mode: ENTRY_MODE });
  // writeFile's mode applies only to a new file, and through the umask.
  await chmod(file, ENTRY_MODE);
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Runs commands in order; false at the first that fails or is missing. */
async function runAll(run: RunCommand, commands: readonly (readonly string[])[]): Promise<boolean> {
  for (const [command, ...args] of commands) {
    if (!command) continue;
    const result = await run(command, args);
    if (result.code !== 0) return false;
  }
  return true;
}

const shown = (commands: readonly (readonly string[])[]) => commands.map((c) => c.join(' '));

export async function installAutostart(options: AutostartOptions): Promise<AutostartResult> {
  const { env } = options;
  const run = options.run ?? runCommand;
  if (!options.command || options.command.length === 0) throw new AutostartError('no agent command to install');
  const input = { command: options.command, environment: options.environment ?? {} };
  const file = autostartFile(env);
  if (env.platform === 'darwin') {
    const text = launchdPlist(input, join(env.home, 'Library', 'Logs', 'sundial-agent.log'));
    await writeEntry(file, join(env.home, 'Library', 'LaunchAgents'), text);
    const commands = [['launchctl', 'load', '-w', file]];
    const applied = await runAll(run, commands);
    return { file, applied, instructions: applied ? [] : shown(commands) };
  }
  if (env.platform === 'win32') {
    await writeEntry(file, windowsStartupDir(env), windowsStartupScript(input));
    // The Startup folder is read at the next log-in; nothing to start now.
    return { file, applied: false, instructions: [`start it now with: "${file}"`] };
  }
  await writeEntry(file, systemdDir(env), systemdUnit(input));
  const commands = [
    ['systemctl', '--user', 'daemon-reload'],
    ['systemctl', '--user', 'enable', '--now', SYSTEMD_UNIT_NAME],
  ];
  // A user manager answers only where it runs: not in most containers, nor over ssh without lingering.
  const usable = (await run('systemctl', ['--user', 'show-environment'])).code === 0;
  const applied = usable && (await runAll(run, commands));
  return { file, applied, instructions: applied ? [] : shown(commands) };
}

export async function uninstallAutostart(options: AutostartOptions): Promise<AutostartResult> {
  const { env } = options;
  const run = options.run ?? runCommand;
  const file = autostartFile(env);
  const existed = await exists(file);
  if (env.platform === 'darwin') {
    const commands = [['launchctl', 'unload', '-w', file]];
    const applied = existed && (await runAll(run, commands));
    await rm(file, { force: true });
    return { file, existed, applied, instructions: existed && !applied ? shown(commands) : [] };
  }
  if (env.platform === 'win32') {
    await rm(file, { force: true });
    return { file, existed, applied: false, instructions: [] };
  }
  const stop = [['systemctl', '--user', 'disable', '--now', SYSTEMD_UNIT_NAME]];
  const usable = existed && (await run('systemctl', ['--user', 'show-environment'])).code === 0;
  const applied = usable && (await runAll(run, stop));
  await rm(file, { force: true });
  // Without systemctl the enable link would be left pointing at nothing.
  await rm(systemdWantsLink(env), { force: true });
  if (applied) await runAll(run, [['systemctl', '--user', 'daemon-reload']]);
  const instructions =
    existed && !applied ? ['systemctl --user stop sundial-agent.service', 'systemctl --user daemon-reload'] : [];
  return { file, existed, applied, instructions };
}
