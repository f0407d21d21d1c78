// Choosing the watcher for a platform and session, and what a Wayland session is told.
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../src/log.js';
import { createPlatformWatcher, WatcherUnavailableError } from '../../src/watchers/index.js';
import { detectLinuxSession, waylandSupport } from '../../src/watchers/wayland.js';
import { fakeSpawner } from './fake-helper.js';

function unavailable(run: () => unknown): WatcherUnavailableError {
  try {
    run();
  } catch (error) {
    if (error instanceof WatcherUnavailableError) return error;
    throw error;
  }
  throw new Error('expected a WatcherUnavailableError');
}

describe('createPlatformWatcher', () => {
  it('X11 when DISPLAY is set on Linux', () => {
    const watcher = createPlatformWatcher({ DISPLAY: ':7', XDG_SESSION_TYPE: 'x11' }, 'linux', { log: silentLog });
    expect(watcher.status()).toMatchObject({ platform: 'x11', ok: false });
    expect(watcher.status().detail).toContain(':7');
  });

  it('macOS and Windows use their helper processes', async () => {
    const { spawn, started } = fakeSpawner();
    const mac = createPlatformWatcher({}, 'darwin', { log: silentLog, spawn });
    const win = createPlatformWatcher({}, 'win32', { log: silentLog, spawn });
    const starting = [mac.start(), win.start()];
    expect(started.map((helper) => helper.command)).toEqual(['/usr/bin/osascript', 'powershell.exe']);
    for (const helper of started) helper.print('{"app":"a","title":"t","idle":0}');
    await Promise.all(starting);
    expect([mac.status().platform, win.status().platform]).toEqual(['macos', 'windows']);
    await Promise.all([mac.stop(), win.stop()]);
  });

  it('Wayland with XWayland: the X11 watcher, with a status that says what it cannot see', () => {
    const watcher = createPlatformWatcher(
      { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0', XDG_CURRENT_DESKTOP: 'GNOME' },
      'linux',
      { log: silentLog },
    );
    const status = watcher.status();
    expect(status.platform).toBe('wayland (xwayland)');
    expect(status.detail).toMatch(/only windows of X11 programs running under XWayland/);
  });

  it('Wayland without DISPLAY: a clear error naming what is and is not supported', () => {
    const error = unavailable(() =>
      createPlatformWatcher({ XDG_SESSION_TYPE: 'wayland', XDG_CURRENT_DESKTOP: 'KDE' }, 'linux', { log: silentLog }),
    );
    expect(error.platform).toBe('Wayland');
    expect(error.message).toMatch(/without XWayland \(DISPLAY is not set\): no window can be seen/);
    expect(error.message).toMatch(/KWin script/);
    expect(error.message).toMatch(/org\.freedesktop\.ScreenSaver .*not implemented/);
    expect(error.message).toMatch(/local ActivityWatch API/);
  });

  it('no graphical session, or an unknown platform: an error that says so', () => {
    expect(unavailable(() => createPlatformWatcher({}, 'linux', { log: silentLog })).message).toMatch(
      /DISPLAY is not set: there is no graphical session/,
    );
    expect(unavailable(() => createPlatformWatcher({ DISPLAY: ':0' }, 'aix', { log: silentLog })).message).toMatch(
      /no watcher for the platform 'aix'/,
    );
  });
});

describe('Wayland detection', () => {
  it('reads XDG_SESSION_TYPE, or WAYLAND_DISPLAY when the type is not set', () => {
    expect(detectLinuxSession({ XDG_SESSION_TYPE: 'wayland' }).wayland).toBe(true);
    expect(detectLinuxSession({ WAYLAND_DISPLAY: 'wayland-1' }).wayland).toBe(true);
    expect(detectLinuxSession({ XDG_SESSION_TYPE: 'x11', WAYLAND_DISPLAY: 'wayland-1', DISPLAY: ':1' })).toEqual({
      wayland: false,
      display: ':1',
      desktop: '',
    });
  });

  it('names the compositor-specific route for GNOME, KDE and wlroots', () => {
    const hint = (desktop: string) => waylandSupport({ wayland: true, display: null, desktop }).join(' ');
    expect(hint('ubuntu:GNOME')).toMatch(/Shell extension/);
    expect(hint('KDE')).toMatch(/KWin script/);
    expect(hint('sway')).toMatch(/foreign-toplevel/);
    expect(hint('')).toMatch(/supports none of them yet/);
  });
});
