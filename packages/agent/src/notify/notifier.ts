/**
 * Desktop notifications for fired alerts. A missing notifier (no
 * notify-send, no notification daemon) is logged once and otherwise ignored:
 * alerts are a convenience, tracking goes on without them. The text of a
 * notification is never logged.
 */
import { spawn } from 'node:child_process';
import type { AgentLog } from '../log.js';
import { notifierCommand, type NotificationText } from './notify-commands.js';

export interface RunResult {
  /** Exit code; null when the program could not be started or was killed. */
  readonly code: number | null;
  /** Set when the program could not be started: `ENOENT` when it is not installed. */
  readonly errorCode?: string;
}

/** Runs a program with an argument vector (never a shell) and reports how it ended. */
export type RunCommand = (command: string, args: readonly string[]) => Promise<RunResult>;

/** A notifier that hangs (a stuck D-Bus) is killed after this long. */
const RUN_TIMEOUT_MS = 10_000;

/** A runner whose programs see `env` (the default: the agent's own environment, i.e. its desktop session). */
export function createCommandRunner(env?: NodeJS.ProcessEnv): RunCommand {
  return (command, args) =>
    new Promise((resolve) => {
      const child = spawn(command, [...args], {
        stdio: 'ignore',
        windowsHide: true,
        shell: false,
        ...(env ? { env } : {}),
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
      timer.unref();
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ code: null, errorCode: error.code ?? 'EUNKNOWN' });
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code });
      });
    });
}

export const runCommand: RunCommand = createCommandRunner();

export interface Notifier {
  /** Shows a notification; never rejects. Resolves to whether it was shown. */
  notify(text: NotificationText): Promise<boolean>;
}

export interface NotifierOptions {
  readonly platform: NodeJS.Platform;
  readonly log: AgentLog;
  readonly run?: RunCommand;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const { platform, log } = options;
  const run = options.run ?? runCommand;
  let missing = false;
  let failureLogged = false;

  return {
    async notify(text) {
      const command = notifierCommand(platform, text);
      if (!command) {
        if (!missing) log.warn('no desktop notifier on this platform; alerts are not shown', { platform });
        missing = true;
        return false;
      }
      // Once known to be missing, it is not looked for at every alert.
      if (missing) return false;
      const result = await run(command.command, command.args);
      if (result.errorCode === 'ENOENT') {
        missing = true;
        log.warn('desktop notifier not installed; alerts are not shown', {
          command: command.command,
          ...(platform === 'linux' ? { install: 'libnotify-bin' } : {}),
        });
        return false;
      }
      if (result.code !== 0) {
        // A notifier that is there but fails (no notification daemon) is worth one line, not one per alert.
        if (!failureLogged) {
          log.warn('desktop notifier failed; alerts may not show', {
            command: command.command,
            code: result.code,
            error: result.errorCode ?? null,
          });
        }
        failureLogged = true;
        return false;
      }
      return true;
    },
  };
}
