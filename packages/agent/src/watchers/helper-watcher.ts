/**
 * A watcher fed by one long-lived helper process (osascript on macOS,
 * PowerShell on Windows) that prints a JSON line a second. It keeps the
 * latest reading, treats a silent helper as having no reading, and restarts
 * a helper that dies, with growing pauses, reporting all of it in status().
 */
import { spawn as nodeSpawn } from 'node:child_process';
import type { AgentLog } from '../log.js';
import { MAX_LINE_LENGTH, parseHelperLine, type HelperReading } from './helper-line.js';
import type { Watcher, WatcherStatus, WindowSample } from './types.js';

/** The part of a child process the watcher uses, so tests can hand in a fake one. */
export interface HelperProcess {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  kill(signal?: NodeJS.Signals): boolean;
}

/** Starts a program with an argument vector: never through a shell. */
export type SpawnHelper = (command: string, args: readonly string[]) => HelperProcess;

export const spawnHelper: SpawnHelper = (command, args) =>
  nodeSpawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });

export interface HelperWatcherOptions {
  readonly platform: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly log: AgentLog;
  readonly spawn?: SpawnHelper;
  readonly now?: () => number;
  /** Pauses before restarting a helper that exited; the last one repeats. */
  readonly restartDelaysMs?: readonly number[];
  /** A reading older than this counts as none: the helper hangs. */
  readonly staleAfterMs?: number;
  /** How long start() waits for the first line. */
  readonly startTimeoutMs?: number;
}

/** What a platform's watcher (macOS, Windows) takes: the helper program is its own choice. */
export type PlatformHelperOptions = Pick<HelperWatcherOptions, 'log' | 'spawn' | 'now' | 'restartDelaysMs'>;

const DEFAULT_RESTART_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
const DEFAULT_STALE_AFTER_MS = 5000;
const DEFAULT_START_TIMEOUT_MS = 15_000;
/** Last bytes of the helper's stderr kept to explain a failure (no titles go there). */
const STDERR_TAIL = 300;

export function createHelperWatcher(options: HelperWatcherOptions): Watcher {
  const { platform, command, args, log } = options;
  const spawn = options.spawn ?? spawnHelper;
  const now = options.now ?? Date.now;
  const restartDelays = options.restartDelaysMs ?? DEFAULT_RESTART_DELAYS_MS;
  const staleAfter = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const startTimeout = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;

  let child: HelperProcess | null = null;
  let reading: HelperReading | null = null;
  let readAt = 0;
  let stopped = true;
  let problem: string | null = null;
  let restartTimer: NodeJS.Timeout | null = null;
  let restartAttempt = 0;
  let rejectedLines = 0;
  let firstLine: { resolve: () => void; reject: (error: Error) => void } | null = null;

  function fresh(): HelperReading | null {
    return reading && now() - readAt <= staleAfter ? reading : null;
  }

  function accept(line: string): void {
    const parsed = parseHelperLine(line.trim());
    if (!parsed) {
      rejectedLines += 1;
      // Once is enough to notice a broken helper; the count shows in status().
      if (rejectedLines === 1) log.warn('the watcher helper printed a line that is not a reading', { platform });
      return;
    }
    reading = parsed;
    readAt = now();
    problem = null;
    restartAttempt = 0;
    firstLine?.resolve();
    firstLine = null;
  }

  function launch(): void {
    let buffered = '';
    let stderrTail = '';
    let ended = false;
    const proc = spawn(command, args);
    child = proc;
    proc.stdout?.setEncoding('utf8');
    proc.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        accept(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
      }
      // A line that never ends is not a reading; drop it rather than grow without bound.
      if (buffered.length > MAX_LINE_LENGTH) buffered = '';
    });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL);
    });
    const end = (why: string) => {
      if (ended) return;
      ended = true;
      if (child !== proc) return;
      child = null;
      reading = null;
      const detail = stderrTail.trim().split('\n').pop() ?? '';
      const reason = detail ? `${why}: ${detail}` : why;
      if (firstLine) {
        firstLine.reject(new Error(`the ${platform} watcher helper (${command}) ${reason}`));
        firstLine = null;
        return;
      }
      if (stopped) return;
      scheduleRestart(reason);
    };
    proc.on('error', (error) => end(`could not run: ${error.message}`));
    proc.on('exit', (code, signal) => end(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  }

  function scheduleRestart(reason: string): void {
    const delay = restartDelays[Math.min(restartAttempt, restartDelays.length - 1)] ?? 30_000;
    restartAttempt += 1;
    problem = `the ${platform} watcher helper (${command}) ${reason}; restarting in ${Math.round(delay / 1000)} s`;
    log.warn('the watcher helper stopped; restarting', { platform, attempt: restartAttempt });
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (!stopped) launch();
    }, delay);
    restartTimer.unref();
  }

  return {
    start() {
      stopped = false;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          firstLine = null;
          reject(new Error(`the ${platform} watcher helper (${command}) printed nothing in ${startTimeout / 1000} s`));
        }, startTimeout);
        firstLine = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        launch();
      });
    },
    currentWindow(): WindowSample | null {
      return fresh()?.window ?? null;
    },
    idleSeconds() {
      const current = fresh();
      if (!current || current.idleSeconds === null) return null;
      // The line is up to a second old: without input since, idle grew by that much.
      return current.idleSeconds + Math.max(0, now() - readAt) / 1000;
    },
    status(): WatcherStatus {
      if (problem) return { platform, ok: false, detail: problem };
      if (!child) return { platform, ok: false, detail: `the ${platform} watcher is not running` };
      const current = fresh();
      if (!current) {
        return { platform, ok: false, detail: `the ${platform} watcher helper has printed nothing for a while` };
      }
      if (current.idleSeconds === null) {
        return { platform, ok: false, detail: `the ${platform} watcher reads windows but not idle time` };
      }
      const rejected = rejectedLines ? `; ${rejectedLines} unreadable lines ignored` : '';
      return { platform, ok: true, detail: `watching through ${command}${rejected}` };
    },
    async stop() {
      stopped = true;
      firstLine?.reject(new Error(`the ${platform} watcher was stopped before its helper printed anything`));
      firstLine = null;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      const proc = child;
      child = null;
      reading = null;
      proc?.kill('SIGTERM');
    },
  };
}
