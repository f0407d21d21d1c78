/**
 * Wayland sessions: detection and plain words on what works. Wayland gives
 * ordinary clients no way to ask which window is in front or how long the
 * person has been idle, so the agent watches what XWayland shows it (when
 * DISPLAY is set) and says what it cannot see.
 */
import type { Watcher, WatcherStatus } from './types.js';

export type SessionEnv = Readonly<Record<string, string | undefined>>;

export interface LinuxSession {
  /** `wayland` when the session says so (XDG_SESSION_TYPE) or a Wayland socket is named. */
  readonly wayland: boolean;
  /** The X display, XWayland's in a Wayland session; null without one. */
  readonly display: string | null;
  /** GNOME, KDE, sway, … from XDG_CURRENT_DESKTOP; empty when unknown. */
  readonly desktop: string;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

export function detectLinuxSession(env: SessionEnv): LinuxSession {
  const type = (env.XDG_SESSION_TYPE ?? '').toLowerCase();
  return {
    wayland: type === 'wayland' || (type === '' && nonEmpty(env.WAYLAND_DISPLAY) !== null),
    display: nonEmpty(env.DISPLAY),
    desktop: env.XDG_CURRENT_DESKTOP ?? '',
  };
}

/** Where a compositor-specific extension is the only route to the active window. */
function desktopHint(desktop: string): string {
  const d = desktop.toLowerCase();
  if (d.includes('gnome')) {
    return 'On GNOME the active window is only available to a Shell extension (for example "Focused Window D-Bus"), which the agent does not use yet.';
  }
  if (d.includes('kde') || d.includes('plasma')) {
    return 'On KDE Plasma the active window is only available to a KWin script, which the agent does not use yet.';
  }
  if (d.includes('sway') || d.includes('hyprland') || d.includes('wlroots')) {
    return 'On wlroots compositors (sway, Hyprland) the foreign-toplevel protocol could tell the active window; the agent does not speak it yet.';
  }
  return 'Each compositor has its own way to tell the active window (a GNOME extension, a KWin script, wlroots foreign-toplevel); the agent supports none of them yet.';
}

/**
 * What is and is not supported in a Wayland session, as lines for `sundial
 * agent status` and the error of a session the agent cannot watch.
 */
export function waylandSupport(session: LinuxSession): string[] {
  const lines = [
    session.display
      ? `Wayland session: only windows of X11 programs running under XWayland (${session.display}) are seen; native Wayland windows count as no window.`
      : 'Wayland session without XWayland (DISPLAY is not set): no window can be seen.',
    desktopHint(session.desktop),
    session.display
      ? 'Idle time comes from XWayland and may only notice input sent to X11 windows; idle through org.freedesktop.ScreenSaver or ext-idle-notify is not implemented.'
      : 'Idle time through org.freedesktop.ScreenSaver or ext-idle-notify is not implemented.',
    'ActivityWatch watchers for Wayland (for example aw-watcher-window-wayland) can still send events through the local ActivityWatch API.',
  ];
  return lines;
}

/** An X11 watcher on XWayland, whose status says what a Wayland session hides from it. */
export function withWaylandNote(watcher: Watcher, session: LinuxSession): Watcher {
  const note = waylandSupport(session).slice(0, 1).join(' ');
  return {
    start: () => watcher.start(),
    currentWindow: () => watcher.currentWindow(),
    idleSeconds: () => watcher.idleSeconds(),
    stop: () => watcher.stop(),
    status(): WatcherStatus {
      const inner = watcher.status();
      return { platform: 'wayland (xwayland)', ok: inner.ok, detail: `${inner.detail}. ${note}` };
    },
  };
}
