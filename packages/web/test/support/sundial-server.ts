/**
 * A real `sundial serve` for the browser tests: the built CLI as a child
 * process on a temporary data directory, any free port (--port 0), a
 * throw-away master key in the environment. Needs `npm run build` first
 * (npm test does it); says so plainly when the build is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));
const WEB_INDEX = fileURLToPath(new URL('../../dist/index.html', import.meta.url));

export interface SundialServer {
  readonly url: string;
  readonly dataDir: string;
  /** Everything the server printed, for a failing test's message. */
  output(): string;
  /** Runs another `sundial` command on the same data and keys (e.g. `admin reset-link`); answers what it printed. */
  cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** A port free right now on loopback, for a server whose public URL must name its port before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startSundial(env: Record<string, string> = {}, port = 0): Promise<SundialServer> {
  for (const [file, what] of [
    [MAIN, 'the CLI'],
    [WEB_INDEX, 'the web dashboard'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${what} is not built (${file} missing): run \`npm run build\` first`);
  }
  const root = await mkdtemp(join(tmpdir(), 'sundial-web-e2e-'));
  const dataDir = join(root, 'data');
  const settings = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: root,
    SUNDIAL_DATA_DIR: dataDir,
    SUNDIAL_MASTER_KEY: randomBytes(32).toString('base64'),
    SUNDIAL_LOG_LEVEL: 'warn',
    ...env,
  };
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve', '--port', String(port)], {
    env: settings,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sundial serve printed no address in 30 s:\n${printed}`)), 30_000);
    const look = () => {
      const match = /Sundial is running at (\S+)/.exec(printed);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`sundial serve exited early:\n${printed}`));
    });
  });

  return {
    url,
    dataDir,
    output: () => printed,
    cli: (args) =>
      new Promise((resolve) => {
        const command = spawn(process.execPath, [MAIN, ...args], { env: settings, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        command.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        command.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        command.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}
