/**
 * Picks the watcher for the machine the agent runs on: X11 (also XWayland),
 * macOS or Windows, or a clear error saying why nothing fits. The
 * environment comes in as a parameter: only config.ts reads process.env.
 */
import type { AgentLog } from '../log.js';
import type { SpawnHelper } from './helper-watcher.js';
import { createMacosWatcher } from './macos.js';
import type { Watcher } from './types.js';
import { detectLinuxSession, waylandSupport, withWaylandNote, type SessionEnv } from './wayland.js';
import { createWindowsWatcher } from './windows.js';
import { createX11Watcher } from './x11.js';

/** No watcher can run here; `reasons` are plain sentences for the person. */
export class WatcherUnavailableError extends Error {
  constructor(
    readonly platform: string,
    readonly reasons: readonly string[],
  ) {
    super(`cannot watch windows on this ${platform} session:\n  - ${reasons.join('\n  - ')}`);
    this.name = 'WatcherUnavailableError';
  }
}

export interface PlatformWatcherOptions {
  readonly log: AgentLog;
  /** For the helper-process watchers (macOS, Windows); tests pass a fake. */
  readonly spawn?: SpawnHelper;
}

/** X11-based desktops: Linux and the BSDs. */
const X11_PLATFORMS: readonly NodeJS.Platform[] = ['linux', 'freebsd', 'openbsd', 'netbsd', 'sunos'];

export function createPlatformWatcher(
  env: SessionEnv,
  platform: NodeJS.Platform,
  options: PlatformWatcherOptions,
): Watcher {
  const { log, spawn } = options;
  if (platform === 'darwin') return createMacosWatcher({ log, ...(spawn ? { spawn } : {}) });
  if (platform === 'win32') return createWindowsWatcher({ log, ...(spawn ? { spawn } : {}) });
  if (!X11_PLATFORMS.includes(platform)) {
    throw new WatcherUnavailableError(platform, [
      `there is no watcher for the platform '${platform}' (X11, macOS and Windows are supported)`,
    ]);
  }
  const session = detectLinuxSession(env);
  if (session.display === null) {
    if (session.wayland) throw new WatcherUnavailableError('Wayland', waylandSupport(session));
    throw new WatcherUnavailableError(platform, [
      'DISPLAY is not set: there is no graphical session to watch (run the agent inside your desktop session, or set DISPLAY)',
    ]);
  }
  const x11 = createX11Watcher({ display: session.display, log });
  return session.wayland ? withWaylandNote(x11, session) : x11;
}

export type { Watcher, WatcherStatus, WindowSample } from './types.js';
export type { SpawnHelper, HelperProcess } from './helper-watcher.js';
export { detectLinuxSession, waylandSupport } from './wayland.js';
