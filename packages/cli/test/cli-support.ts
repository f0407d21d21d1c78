/**
 * Running the built `sundial` command as a child process with a clean
 * environment (PATH, a fresh HOME, and only the settings a test names), the
 * way an operator's shell would. Used by the key and backup tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { masterKeyFromBase64 } from '@sundial/crypto';

export const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<Finished>;
}

const cleanup: Array<() => Promise<void> | void> = [];

/** Registers a step for `cleanUp` (after the test, in reverse order). */
export function onCleanUp(step: () => Promise<void> | void): void {
  cleanup.push(step);
}

/** Runs (in reverse order) everything the finished test left behind; call from afterEach. */
export async function cleanUp(): Promise<void> {
  for (const step of cleanup.splice(0).reverse()) await step();
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sundial-keys-cli-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh home, a data folder and a key file outside it; `env` is what the command sees. */
export interface Setup {
  readonly root: string;
  readonly dataDir: string;
  readonly keyFile: string;
  readonly env: Record<string, string>;
}

export function freshSetup(): Setup {
  const root = tempDir();
  const home = join(root, 'home');
  mkdirSync(home);
  const dataDir = join(root, 'data');
  const keyFile = join(root, 'keys', 'master.key');
  return {
    root,
    dataDir,
    keyFile,
    env: { HOME: home, SUNDIAL_DATA_DIR: dataDir, SUNDIAL_MASTER_KEY_FILE: keyFile },
  };
}

function launch(
  args: readonly string[],
  env: Record<string, string>,
): { child: ChildProcess; exited: Promise<Finished> } {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: env['HOME'] ?? tempDir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, exited };
}

/** Runs a command to its end. */
export function run(args: readonly string[], env: Record<string, string> = {}): Promise<Finished> {
  return launch(args, env).exited;
}

/** Starts `sundial serve --port 0` (or other arguments) and waits for the line with its address. */
export async function serve(
  env: Record<string, string>,
  args: readonly string[] = ['serve', '--port', '0'],
): Promise<Running> {
  const { child, exited } = launch(args, env);
  let seen = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no address within 20 s: ${seen}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /Sundial is running at (\S+)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then((f) => {
      clearTimeout(timer);
      reject(new Error(`serve exited early (${f.code}): ${f.stderr}`));
    });
  });
  return { child, url, exited };
}

/** Stops a server with SIGTERM and expects a clean exit. */
export async function stop(running: Running): Promise<void> {
  running.child.kill('SIGTERM');
  const finished = await running.exited;
  expect(finished.code, JSON.stringify({ ...finished, signal: running.child.signalCode })).toBe(0);
}

/** Starts and stops the server once: the keyring and the key file now exist. */
export async function startOnce(env: Record<string, string>): Promise<void> {
  const running = await serve(env);
  expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
  await stop(running);
}

/** The id of the master key in a key file (as `keys status` prints it). */
export function keyIdOf(file: string): string {
  return masterKeyFromBase64(readFileSync(file, 'utf8')).keyId;
}

/** Exactly one line on stderr, matching every pattern, and no stack trace. */
export function expectOneLine(stderr: string, ...patterns: RegExp[]): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  for (const pattern of patterns) expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}
