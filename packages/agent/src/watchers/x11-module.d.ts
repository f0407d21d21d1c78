/**
 * Types for the parts of the `x11` package (a pure-JS X11 protocol client,
 * shipped without declarations) that the X11 watcher uses. Only
 * `x11-connection.ts` imports the module; everything else sees its promise
 * facade.
 */
declare module 'x11' {
  import type { EventEmitter } from 'node:events';

  /** A protocol error as the package reports it (`error` is the X error code). */
  interface XError extends Error {
    error?: number;
    badParam?: number;
  }

  /** Reply callbacks return true when they handled an error, otherwise the client emits it. */
  type ReplyCallback<T> = (error: XError | undefined | null, value: T) => boolean | undefined;

  interface XPropertyReply {
    type: number;
    format: number;
    bytesAfter: number;
    data: Buffer;
  }

  interface XScreenSaverInfo {
    state: number;
    window: number;
    until: number;
    /** Milliseconds since the last input. */
    idle: number;
    kind: number;
  }

  interface XScreenSaverExtension {
    QueryInfo(drawable: number, callback: ReplyCallback<XScreenSaverInfo>): void;
  }

  interface XEvent {
    name: string;
    wid?: number;
    atom?: number;
    state?: number;
  }

  interface XScreen {
    root: number;
  }

  interface XDisplay {
    screen: XScreen[];
  }

  interface XClient extends EventEmitter {
    InternAtom(onlyIfExists: boolean, name: string, callback: ReplyCallback<number>): void;
    GetProperty(
      del: number,
      wid: number,
      atom: number,
      type: number,
      longOffset: number,
      longLength: number,
      callback: ReplyCallback<XPropertyReply>,
    ): void;
    ChangeProperty(mode: number, wid: number, atom: number, type: number, format: number, data: Buffer): void;
    ChangeWindowAttributes(wid: number, values: { eventMask: number }, callback?: ReplyCallback<void>): void;
    require(name: 'screen-saver', callback: (error: Error | null, ext: XScreenSaverExtension) => void): void;
    terminate(): void;
    close(callback?: () => void): void;
    on(event: 'event', listener: (event: XEvent) => void): this;
    on(event: 'error', listener: (error: XError) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  interface CreateClientOptions {
    display: string;
    /** false: a plain socket, no descriptor passing (the watcher never uses shared memory). */
    shm?: boolean;
    disableBigRequests?: boolean;
  }

  interface X11Module {
    createClient(
      options: CreateClientOptions,
      callback: (error: Error | undefined, display: XDisplay) => void,
    ): XClient;
    eventMask: { PropertyChange: number; StructureNotify: number };
  }

  const x11: X11Module;
  export default x11;
  export type { XClient, XDisplay, XError, XEvent, XPropertyReply, XScreenSaverExtension, XScreenSaverInfo };
}
