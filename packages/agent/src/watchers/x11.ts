/**
 * The Linux X11 watcher: one long-lived X connection, no process per poll.
 * It follows `_NET_ACTIVE_WINDOW` on the root window and the title of the
 * active window through PropertyNotify events, so a reading costs nothing;
 * idle time comes from MIT-SCREEN-SAVER QueryInfo, asked at most once a
 * second and only when someone wants it (twice a second while the person is
 * idle, to notice their return sooner). When the X server goes away the
 * watcher reports it and keeps trying to reconnect.
 */
import { readFile, readlink } from 'node:fs/promises';
import type { AgentLog } from '../log.js';
import type { Watcher, WatcherStatus, WindowSample } from './types.js';
import { openX11Connection, type X11Connection } from './x11-connection.js';
import { decodeText, firstCardinal, MAX_TEXT_BYTES, parseWmClass } from './x11-properties.js';

export interface X11WatcherOptions {
  /** The X display to watch (`:0`), from the agent's configuration. */
  readonly display: string;
  readonly log: AgentLog;
  /** Path of a process's executable; the default reads /proc/<pid>/exe. */
  readonly executableOf?: (pid: number) => Promise<string | undefined>;
  /** Name of a process, for windows without WM_CLASS; the default reads /proc/<pid>/comm. */
  readonly processNameOf?: (pid: number) => Promise<string | undefined>;
  readonly now?: () => number;
  /** Waits between reconnection attempts; the last one repeats. */
  readonly reconnectDelaysMs?: readonly number[];
  /** Opens the X connection; the default is `openX11Connection`. Tests route a reconnection to another server. */
  readonly connect?: (display: string) => Promise<X11Connection>;
}

interface Atoms {
  activeWindow: number;
  netWmName: number;
  netWmPid: number;
  wmClass: number;
  wmName: number;
}

/** WM_NAME and WM_CLASS are predefined atoms of the core protocol. */
const WM_NAME = 39;
const WM_CLASS = 67;
const IDLE_QUERY_INTERVAL_MS = 1000;
/**
 * While the person is idle a reading is also taken every half second in the
 * background, so their return shows at the next poll instead of one poll
 * later; only as long as someone polls.
 */
const IDLE_FOLLOW_UP_MS = 500;
const IDLE_FOLLOW_UP_FROM_MS = 2000;
const POLLED_RECENTLY_MS = 3000;
const DEFAULT_RECONNECT_DELAYS_MS = [1000, 2000, 5000, 10_000, 30_000];
/** Executables remembered per pid, so title changes do not touch /proc. */
const EXECUTABLE_CACHE_SIZE = 64;

async function procExecutable(pid: number): Promise<string | undefined> {
  try {
    return await readlink(`/proc/${pid}/exe`);
  } catch {
    return undefined; // another user's process, or gone
  }
}

async function procName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function createX11Watcher(options: X11WatcherOptions): Watcher {
  const { display, log } = options;
  const now = options.now ?? Date.now;
  const executableOf = options.executableOf ?? procExecutable;
  const processNameOf = options.processNameOf ?? procName;
  const reconnectDelays = options.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS;
  const openConnection = options.connect ?? openX11Connection;

  let connection: X11Connection | null = null;
  let stopped = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectAttempt = 0;
  let everConnected = false;

  let activeWindow = 0;
  let sample: WindowSample | null = null;
  /** Bumped on every read of the active window; a slower, older read is dropped. */
  let generation = 0;
  let activeWindowPublished = true;

  let idleMs: number | null = null;
  let idleReadAt = 0;
  let idleAskedAt = Number.NEGATIVE_INFINITY;
  let idleInFlight = false;
  let idlePolledAt = Number.NEGATIVE_INFINITY;
  let idleFollowUp: NodeJS.Timeout | null = null;
  let idleAvailable = true;

  let problem: string | null = null;
  const executables = new Map<number, string | undefined>();

  async function cachedExecutable(pid: number): Promise<string | undefined> {
    if (executables.has(pid)) return executables.get(pid);
    const executable = await executableOf(pid);
    if (executables.size >= EXECUTABLE_CACHE_SIZE) {
      const oldest = executables.keys().next();
      if (!oldest.done) executables.delete(oldest.value);
    }
    executables.set(pid, executable);
    return executable;
  }

  async function readSample(conn: X11Connection, a: Atoms, window: number): Promise<WindowSample | null> {
    const [wmClass, netName, pidValue] = await Promise.all([
      conn.getProperty(window, a.wmClass, 1024),
      conn.getProperty(window, a.netWmName, MAX_TEXT_BYTES),
      conn.getProperty(window, a.netWmPid, 4),
    ]);
    // _NET_WM_NAME is the EWMH title; older clients only set WM_NAME.
    const wmName = netName ? null : await conn.getProperty(window, a.wmName, MAX_TEXT_BYTES);
    const pid = pidValue ? firstCardinal(pidValue) : null;
    const classes = wmClass ? parseWmClass(wmClass) : null;
    // No class, no name and no pid: the window went away while being read.
    if (!classes && !netName && !wmName && pid === null) return null;
    const title = netName ? decodeText(netName, true) : wmName ? decodeText(wmName, false) : '';
    const executable = pid ? await cachedExecutable(pid) : undefined;
    const app = classes?.className ?? (pid ? await processNameOf(pid) : undefined) ?? 'unknown';
    return {
      app,
      title,
      ...(pid ? { pid } : {}),
      ...(executable ? { executable } : {}),
    };
  }

  /** Reads which window is active and, when it changed, follows its title instead of the old one's. */
  async function refreshActive(conn: X11Connection, a: Atoms): Promise<void> {
    const mine = ++generation;
    const value = await conn.getProperty(conn.root, a.activeWindow, 4);
    if (mine !== generation) return;
    activeWindowPublished = value !== null;
    const window = value ? (firstCardinal(value) ?? 0) : 0;
    if (window !== activeWindow) {
      const previous = activeWindow;
      activeWindow = window;
      if (previous) void conn.watchProperties(previous, false).catch(() => undefined);
      if (window && !(await conn.watchProperties(window, true))) {
        if (mine === generation) sample = null;
        return;
      }
    }
    await refreshSample(conn, a, mine);
  }

  async function refreshSample(conn: X11Connection, a: Atoms, mine = ++generation): Promise<void> {
    const window = activeWindow;
    const next = window ? await readSample(conn, a, window) : null;
    if (mine === generation) sample = next;
  }

  function swallow(promise: Promise<void>): void {
    // A request failed because the connection dropped; onLost reports that.
    promise.catch(() => undefined);
  }

  async function connect(): Promise<void> {
    const conn = await openConnection(display);
    try {
      const [activeWindowAtom, netWmName, netWmPid] = await Promise.all([
        conn.internAtom('_NET_ACTIVE_WINDOW'),
        conn.internAtom('_NET_WM_NAME'),
        conn.internAtom('_NET_WM_PID'),
      ]);
      const a: Atoms = { activeWindow: activeWindowAtom, netWmName, netWmPid, wmClass: WM_CLASS, wmName: WM_NAME };
      conn.onDestroyed((window) => {
        // Some window managers leave _NET_ACTIVE_WINDOW on a window that is gone.
        if (window === activeWindow) swallow(refreshActive(conn, a));
      });
      conn.onPropertyChange(({ window, atom }) => {
        if (window === conn.root && atom === a.activeWindow) swallow(refreshActive(conn, a));
        else if (window === activeWindow && (atom === a.netWmName || atom === a.wmName)) {
          swallow(refreshSample(conn, a));
        }
      });
      conn.onLost((reason) => lost(conn, reason));
      await conn.watchProperties(conn.root, true);
      activeWindow = 0;
      await refreshActive(conn, a);
      const idle = await conn.idleMilliseconds();
      idleAvailable = idle !== null;
      idleMs = idle;
      idleReadAt = now();
      idleAskedAt = idleReadAt;
      connection = conn;
      everConnected = true;
      problem = null;
      reconnectAttempt = 0;
    } catch (error) {
      conn.close();
      throw error;
    }
  }

  function lost(conn: X11Connection, reason: string): void {
    if (connection !== conn) return;
    connection = null;
    sample = null;
    activeWindow = 0;
    idleMs = null;
    generation += 1;
    log.warn('lost the X display; reconnecting', { display, reason });
    scheduleReconnect(reason);
  }

  function scheduleReconnect(reason: string): void {
    if (stopped) return;
    const delay = reconnectDelays[Math.min(reconnectAttempt, reconnectDelays.length - 1)] ?? 30_000;
    reconnectAttempt += 1;
    const what = everConnected ? `lost the X display ${display}` : `cannot reach the X display ${display}`;
    problem = `${what} (${reason}); trying again in ${Math.round(delay / 1000)} s`;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect().then(
        () => log.info('reconnected to the X display', { display }),
        (error: unknown) => scheduleReconnect(error instanceof Error ? error.message : String(error)),
      );
    }, delay);
    reconnectTimer.unref();
  }

  function askIdle(conn: X11Connection): void {
    idleInFlight = true;
    idleAskedAt = now();
    conn
      .idleMilliseconds()
      .then(
        (ms) => {
          if (connection !== conn) return;
          idleMs = ms;
          idleReadAt = now();
          const followUp =
            ms !== null && ms >= IDLE_FOLLOW_UP_FROM_MS && idleReadAt - idlePolledAt < POLLED_RECENTLY_MS;
          if (followUp && !idleFollowUp && !stopped) {
            idleFollowUp = setTimeout(() => {
              idleFollowUp = null;
              if (connection === conn && !idleInFlight) askIdle(conn);
            }, IDLE_FOLLOW_UP_MS);
            idleFollowUp.unref();
          }
        },
        () => undefined,
      )
      .finally(() => {
        idleInFlight = false;
      });
  }

  return {
    async start() {
      stopped = false;
      try {
        await connect();
      } catch (error) {
        // An agent started with the session may start before the X server: it keeps trying.
        scheduleReconnect(error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
    currentWindow() {
      return sample;
    },
    idleSeconds() {
      const conn = connection;
      if (!conn) return null;
      const at = now();
      idlePolledAt = at;
      if (idleAvailable && !idleInFlight && at - idleAskedAt >= IDLE_QUERY_INTERVAL_MS) askIdle(conn);
      if (idleMs === null) return null;
      // The last reading is up to a second old: without input since, idle grew by that much.
      return (idleMs + Math.max(0, at - idleReadAt)) / 1000;
    },
    status(): WatcherStatus {
      if (problem) return { platform: 'x11', ok: false, detail: problem };
      if (!connection) return { platform: 'x11', ok: false, detail: `not connected to the X display ${display}` };
      if (!activeWindowPublished) {
        return {
          platform: 'x11',
          ok: false,
          detail: `the window manager on ${display} does not publish _NET_ACTIVE_WINDOW (an EWMH window manager is needed)`,
        };
      }
      if (!idleAvailable) {
        return { platform: 'x11', ok: false, detail: `the X server ${display} lacks MIT-SCREEN-SAVER: no idle time` };
      }
      return { platform: 'x11', ok: true, detail: `watching the X display ${display}` };
    },
    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      if (idleFollowUp) clearTimeout(idleFollowUp);
      idleFollowUp = null;
      connection?.close();
      connection = null;
      sample = null;
    },
  };
}
