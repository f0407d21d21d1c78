/**
 * One X11 connection as a small promise API: atoms, properties, property
 * change notifications and the MIT-SCREEN-SAVER idle time. It hides the
 * callback style and the error conventions of the `x11` package so the
 * watcher reads as plain async code.
 */
import x11 from 'x11';
import type { XClient, XError, XPropertyReply, XScreenSaverExtension, XScreenSaverInfo } from 'x11';

export interface PropertyValue {
  /** Atom of the property's type (STRING, UTF8_STRING, CARDINAL, …). */
  readonly type: number;
  readonly format: number;
  readonly data: Buffer;
  /** Bytes left unread because the property is longer than asked for. */
  readonly bytesAfter: number;
}

export interface PropertyChange {
  readonly window: number;
  readonly atom: number;
}

export interface X11Connection {
  readonly root: number;
  internAtom(name: string): Promise<number>;
  /** A property of a window; null when the window has none or is gone. */
  getProperty(window: number, atom: number, maxBytes: number): Promise<PropertyValue | null>;
  /** Asks for PropertyNotify and DestroyNotify events of a window; false when the window is gone. */
  watchProperties(window: number, on: boolean): Promise<boolean>;
  /** Milliseconds since the last input, from MIT-SCREEN-SAVER; null when the extension is missing. */
  idleMilliseconds(): Promise<number | null>;
  onPropertyChange(listener: (change: PropertyChange) => void): void;
  onDestroyed(listener: (window: number) => void): void;
  /** Called once when the connection ends for any reason other than close(). */
  onLost(listener: (reason: string) => void): void;
  close(): void;
}

/** Any property type: the X protocol's AnyPropertyType. */
const ANY_PROPERTY_TYPE = 0;

function connectClient(display: string): Promise<{ client: XClient; root: number }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const client = x11.createClient({ display, shm: false }, (error, info) => {
      if (settled) return;
      settled = true;
      const root = info?.screen[0]?.root;
      if (error || root === undefined) {
        reject(new Error(`cannot connect to the X display ${display}: ${error?.message ?? 'no screen'}`));
        return;
      }
      resolve({ client, root });
    });
    // Errors before the handshake completes reach the callback; this keeps a
    // late one from becoming an uncaught 'error' event.
    client.on('error', () => undefined);
  });
}

function loadScreenSaver(client: XClient): Promise<XScreenSaverExtension | null> {
  return new Promise((resolve) => {
    try {
      client.require('screen-saver', (error, ext) => resolve(error ? null : ext));
    } catch {
      // The package dereferences the QueryExtension reply without checking it.
      resolve(null);
    }
  });
}

export async function openX11Connection(display: string): Promise<X11Connection> {
  const { client, root } = await connectClient(display);
  const screenSaver = await loadScreenSaver(client);
  const propertyListeners: ((change: PropertyChange) => void)[] = [];
  const destroyListeners: ((window: number) => void)[] = [];
  let lostListener: ((reason: string) => void) | null = null;
  let closed = false;
  /** Requests awaiting a reply: a lost connection never answers them, so they are failed then. */
  const pending = new Set<(error: Error) => void>();

  const failPending = (reason: string): void => {
    for (const fail of pending) fail(new Error(reason));
    pending.clear();
  };
  const lose = (reason: string): void => {
    if (closed) return;
    closed = true;
    failPending(reason);
    lostListener?.(reason);
  };
  client.on('end', () => lose('the X server closed the connection'));
  client.on('error', (error: XError) => {
    // Protocol errors of requests without a callback are harmless here (a
    // window gone between two requests); socket errors end the connection.
    if (error.error === undefined) lose(`X connection error: ${error.message}`);
  });
  client.on('event', (event) => {
    if (event.name === 'DestroyNotify' && event.wid !== undefined) {
      for (const listener of destroyListeners) listener(event.wid);
    }
    if (event.name !== 'PropertyNotify' || event.wid === undefined || event.atom === undefined) return;
    const change = { window: event.wid, atom: event.atom };
    for (const listener of propertyListeners) listener(change);
  });

  /** Wraps a request; protocol errors become `fallback`, a closed connection rejects. */
  function request<T>(fallback: T, send: (done: (error: XError | undefined | null, value: T) => boolean) => void) {
    return new Promise<T>((resolve, reject) => {
      if (closed) {
        reject(new Error('the X connection is closed'));
        return;
      }
      pending.add(reject);
      try {
        send((error, value) => {
          pending.delete(reject);
          resolve(error ? fallback : value);
          return true;
        });
      } catch (error) {
        pending.delete(reject);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  return {
    root,
    async internAtom(name) {
      const atom = await request(0, (done) => client.InternAtom(false, name, done));
      if (atom === 0) throw new Error(`the X server refused the atom ${name}`);
      return atom;
    },
    async getProperty(window, atom, maxBytes) {
      const longs = Math.ceil(maxBytes / 4);
      const reply = await request<XPropertyReply | null>(null, (done) =>
        client.GetProperty(0, window, atom, ANY_PROPERTY_TYPE, 0, longs, (error, value) =>
          done(error, error ? null : value),
        ),
      );
      if (!reply || reply.type === 0) return null;
      return { type: reply.type, format: reply.format, data: reply.data, bytesAfter: reply.bytesAfter };
    },
    watchProperties(window, on) {
      const eventMask = on ? x11.eventMask.PropertyChange | x11.eventMask.StructureNotify : 0;
      return request(false, (done) =>
        client.ChangeWindowAttributes(window, { eventMask }, (error) => done(error, !error)),
      );
    },
    async idleMilliseconds() {
      if (!screenSaver) return null;
      const info = await request<XScreenSaverInfo | null>(null, (done) =>
        screenSaver.QueryInfo(root, (error, value) => done(error, error ? null : value)),
      );
      return info ? info.idle : null;
    },
    onPropertyChange(listener) {
      propertyListeners.push(listener);
    },
    onDestroyed(listener) {
      destroyListeners.push(listener);
    },
    onLost(listener) {
      lostListener = listener;
    },
    close() {
      if (closed) return;
      closed = true;
      failPending('the X connection is closed');
      try {
        client.terminate();
      } catch {
        // The socket may already be gone; nothing is left to release.
      }
    },
  };
}
