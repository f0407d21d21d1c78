// The X11 watcher against a real X server (Xvfb + openbox + xterm, driven by xdotool).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import x11 from 'x11';
import { silentLog } from '../../src/log.js';
import type { Watcher, WindowSample } from '../../src/watchers/types.js';
import { createX11Watcher } from '../../src/watchers/x11.js';
import { openX11Connection } from '../../src/watchers/x11-connection.js';
import { startXSession, xSessionUnavailable, type XSession, type XTermWindow } from './x-session.js';

const unavailable = xSessionUnavailable();

/** Waits until `read` returns something `accept` likes, and returns it; fails with the last value seen. */
async function eventually<T>(read: () => T, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!accept(value)) {
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = read();
  }
  return value;
}

const titled = (title: string) => (window: WindowSample | null) => window?.title === title;

/** Sets a window's _NET_WM_NAME to raw bytes, as a misbehaving client could. */
function setRawTitle(display: string, windowId: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const client = x11.createClient({ display, shm: false }, (error) => {
      if (error) return reject(error);
      client.InternAtom(false, '_NET_WM_NAME', (e1, name) => {
        client.InternAtom(false, 'UTF8_STRING', (e2, utf8) => {
          if (e1 || e2) reject(e1 ?? e2);
          else {
            client.ChangeProperty(0, windowId, name, utf8, 8, bytes);
            client.close(() => resolve());
          }
          return true;
        });
        return true;
      });
    });
  });
}

describe.skipIf(unavailable !== null)('X11 watcher on a real X server', () => {
  let session: XSession;
  let watcher: Watcher;
  let alpha: XTermWindow;
  let beta: XTermWindow;

  beforeAll(async () => {
    session = await startXSession();
    alpha = await session.openXTerm('Sundial alpha window');
    beta = await session.openXTerm('Sundial beta window');
    watcher = createX11Watcher({ display: session.display, log: silentLog, reconnectDelaysMs: [200] });
    await watcher.start();
  });

  afterAll(async () => {
    await watcher?.stop();
    await session?.stop();
  });

  it('reports the focused window: app from WM_CLASS, title, pid and executable', async () => {
    await session.focus(alpha);
    const seen = await eventually(() => watcher.currentWindow(), titled('Sundial alpha window'));
    expect(seen).toMatchObject({ app: 'XTerm', title: 'Sundial alpha window', pid: alpha.process.pid });
    expect(seen?.executable).toMatch(/xterm$/);
    expect(watcher.status()).toMatchObject({ platform: 'x11', ok: true });

    await session.focus(beta);
    await eventually(() => watcher.currentWindow(), titled('Sundial beta window'));
    await session.focus(alpha);
    expect(await eventually(() => watcher.currentWindow(), titled('Sundial alpha window'))).toMatchObject({
      app: 'XTerm',
    });
  });

  it('follows title changes of the active window', async () => {
    await session.focus(beta);
    await eventually(() => watcher.currentWindow(), titled('Sundial beta window'));
    await session.setTitle(beta, 'Renamed — ünïcode ✓');
    expect(await eventually(() => watcher.currentWindow(), titled('Renamed — ünïcode ✓'))).toMatchObject({
      app: 'XTerm',
      pid: beta.process.pid,
    });
  });

  it('replaces invalid UTF-8 and reads very long titles without failing', async () => {
    await session.focus(beta);
    await setRawTitle(session.display, Number(beta.id), Buffer.from([0x6f, 0x6b, 0xff, 0xc3, 0x28, 0x21]));
    await eventually(() => watcher.currentWindow(), titled('ok\uFFFD\uFFFD(!'));
    const long = 'x'.repeat(10_000);
    await session.setTitle(beta, long);
    await eventually(() => watcher.currentWindow(), titled(long));
  });

  it('idle time grows without input and drops after the pointer moves', async () => {
    // Readings are up to a second old (one MIT-SCREEN-SAVER query a second at most).
    await session.movePointer(10, 10);
    const before = await eventually(
      () => watcher.idleSeconds(),
      (idle) => idle !== null && idle >= 3,
    );
    expect(before).toBeGreaterThanOrEqual(3);
    await session.movePointer(200, 200);
    const after = await eventually(
      () => watcher.idleSeconds(),
      (idle) => idle !== null && idle < 2,
    );
    expect(after).toBeLessThan(2);
  });

  it('shows no window once the active one is gone', async () => {
    await session.focus(alpha);
    await eventually(() => watcher.currentWindow(), titled('Sundial alpha window'));
    alpha.process.kill('SIGKILL');
    await eventually(
      () => watcher.currentWindow(),
      (window) => window?.title !== 'Sundial alpha window',
    );
    beta.process.kill('SIGKILL');
    expect(
      await eventually(
        () => watcher.currentWindow(),
        (window) => window === null,
      ),
    ).toBeNull();
    expect(watcher.status().ok).toBe(true);
  });
});

describe.skipIf(unavailable !== null)('X11 watcher when the X server goes away', () => {
  it('reports the loss, reads nothing, and reconnects when an X server is back', async () => {
    const first = await startXSession();
    let second: XSession | null = null;
    // Reconnections go to whichever real X server is current: display numbers are never reused
    // here, since other tests on this machine pick theirs with -displayfd too.
    let target = first.display;
    const watcher = createX11Watcher({
      display: first.display,
      log: silentLog,
      reconnectDelaysMs: [200],
      connect: () => openX11Connection(target),
    });
    try {
      const window = await first.openXTerm('Sundial short-lived');
      await first.focus(window);
      await watcher.start();
      await eventually(() => watcher.currentWindow(), titled('Sundial short-lived'));
      // Until the second server is up, attempts go nowhere (not to a number someone may take).
      target = 'no display';
      await first.stop();

      const status = await eventually(
        () => watcher.status(),
        (s) => !s.ok && s.detail.includes('lost'),
      );
      expect(status.detail).toContain(first.display);
      expect(watcher.currentWindow()).toBeNull();
      expect(watcher.idleSeconds()).toBeNull();

      second = await startXSession();
      const again = await second.openXTerm('Sundial after the restart');
      await second.focus(again);
      target = second.display;
      await eventually(() => watcher.currentWindow(), titled('Sundial after the restart'), 20_000);
      expect(watcher.status()).toMatchObject({ platform: 'x11', ok: true });
      expect(
        await eventually(
          () => watcher.idleSeconds(),
          (idle) => idle !== null,
        ),
      ).toBeGreaterThanOrEqual(0);
    } finally {
      await watcher.stop();
      await first.stop();
      await second?.stop();
    }
  });

  it('start() rejects with the display named when there is no X server, and keeps trying', async () => {
    const watcher = createX11Watcher({ display: ':9999', log: silentLog });
    await expect(watcher.start()).rejects.toThrow(/:9999/);
    // It keeps trying: an agent started with the session may come up before the X server.
    expect(watcher.status()).toMatchObject({ ok: false });
    expect(watcher.status().detail).toMatch(/cannot reach the X display :9999 .*trying again in 1 s/);
    await watcher.stop();
  });
});
