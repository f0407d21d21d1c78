/**
 * A real X session for tests: Xvfb on a display it picks itself
 * (`-displayfd`), openbox as the EWMH window manager, xterm windows with known
 * titles, and xdotool to focus, rename and move the pointer. Shared by the
 * watcher tests and the desktop end-to-end test.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

const TOOLS = ['Xvfb', 'openbox', 'xterm', 'xdotool', 'xprop'];

/** Why a real X session cannot run here, or null when it can. */
export function xSessionUnavailable(): string | null {
  const path = (process.env.PATH ?? '').split(':');
  const missing = TOOLS.filter((tool) => !path.some((dir) => existsSync(`${dir}/${tool}`)));
  return missing.length ? `missing ${missing.join(', ')} (apt-get install xvfb openbox xterm xdotool x11-utils)` : null;
}

export interface XTermWindow {
  readonly id: string;
  readonly process: ChildProcess;
}

export interface XSession {
  /** `:N`, the display Xvfb chose. */
  readonly display: string;
  /** Environment for X clients of this session. */
  readonly env: NodeJS.ProcessEnv;
  openXTerm(title: string): Promise<XTermWindow>;
  focus(window: XTermWindow): Promise<void>;
  setTitle(window: XTermWindow, title: string): Promise<void>;
  movePointer(x: number, y: number): Promise<void>;
  /** Ends the whole session: xterms, window manager, X server. */
  stop(): Promise<void>;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await waitForExit(child);
  clearTimeout(timer);
}

function startXvfb(): Promise<{ server: ChildProcess; display: string }> {
  return new Promise((resolve, reject) => {
    // fd 3 is where -displayfd writes the display number it picked.
    const server = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    server.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
    const fd3 = server.stdio[3];
    if (!fd3 || !('on' in fd3)) {
      reject(new Error('no pipe for -displayfd'));
      return;
    }
    fd3.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^(\d+)\n/.exec(output);
      if (match) resolve({ server, display: `:${match[1]}` });
    });
    server.once('exit', (code) => reject(new Error(`Xvfb exited (${code}): ${errors}`)));
    server.once('error', reject);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export async function startXSession(): Promise<XSession> {
  const { server, display } = await startXvfb();
  const env: NodeJS.ProcessEnv = { ...process.env, DISPLAY: display };
  delete env.WAYLAND_DISPLAY;
  const children: ChildProcess[] = [];
  let windowManager = spawn('openbox', ['--sm-disable'], { env, stdio: 'ignore' });
  children.push(windowManager);
  const x = async (...args: string[]) => (await run('xdotool', args, { env })).stdout.trim();
  let restarts = 0;
  const ready = waitFor(
    async () => {
      // On a loaded machine openbox has been seen to give up at start; once more is enough.
      if (windowManager.exitCode !== null && restarts < 2) {
        restarts += 1;
        windowManager = spawn('openbox', ['--sm-disable'], { env, stdio: 'ignore' });
        children.push(windowManager);
      }
      const { stdout } = await run('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env });
      return stdout.includes('window id');
    },
    'openbox to manage the display',
    30_000,
  );
  try {
    await ready;
  } catch (error) {
    // Leave no X server behind a session that never came up.
    for (const child of children.reverse()) await stopChild(child);
    await stopChild(server);
    throw error;
  }

  return {
    display,
    env,
    async openXTerm(title) {
      // `sleep` instead of a shell: a shell's prompt would set its own title.
      const child = spawn('xterm', ['-T', title, '-e', 'sleep', '100000'], { env, stdio: 'ignore' });
      children.push(child);
      const id = (await x('search', '--sync', '--pid', String(child.pid))).split('\n')[0] ?? '';
      if (!id) throw new Error('xterm window not found');
      await x('windowmap', '--sync', id).catch(() => undefined);
      return { id, process: child };
    },
    async focus(window) {
      await x('windowactivate', '--sync', window.id);
    },
    async setTitle(window, title) {
      await x('set_window', '--name', title, window.id);
    },
    async movePointer(px, py) {
      await x('mousemove', '--sync', String(px), String(py));
    },
    async stop() {
      for (const child of children.reverse()) await stopChild(child);
      await stopChild(server);
    },
  };
}
