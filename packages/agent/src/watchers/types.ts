/**
 * What every platform watcher offers the agent: the window in front and the
 * seconds since the last keyboard or mouse input. The agent polls both once a
 * second, so implementations keep long-lived helpers (an `xprop -spy` child,
 * an osascript or PowerShell loop) and answer from their latest reading
 * rather than spawning a process per poll.
 */

/** The active window as the platform reports it. Strings are untrusted: the agent truncates them. */
export interface WindowSample {
  /** Application: WM_CLASS / process name on X11, bundle or process name elsewhere. */
  readonly app: string;
  /** Window title; empty when the platform does not say. */
  readonly title: string;
  readonly pid?: number;
  /** Path of the executable, when known. */
  readonly executable?: string;
}

export interface WatcherStatus {
  /** `x11`, `macos`, `windows`, `wayland`, … */
  readonly platform: string;
  /** true when both window and idle readings work. */
  readonly ok: boolean;
  /** Plain words for `sundial agent status`: what works, what does not and why. */
  readonly detail: string;
}

export interface Watcher {
  /** Starts the long-lived helpers; rejects with a clear message when the platform cannot be watched. */
  start(): Promise<void>;
  /** The latest active window, or null when there is none (locked screen, desktop). */
  currentWindow(): WindowSample | null;
  /** Seconds since the last input; null when idle time cannot be read on this platform. */
  idleSeconds(): number | null;
  status(): WatcherStatus;
  /** Ends every child process; safe to call twice. */
  stop(): Promise<void>;
}
