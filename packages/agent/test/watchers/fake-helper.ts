/**
 * A fake helper process for the macOS and Windows watchers: the test writes
 * its stdout and stderr and decides when it exits.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { HelperProcess, SpawnHelper } from '../../src/watchers/helper-watcher.js';

export class FakeHelper extends EventEmitter implements HelperProcess {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  killedWith: NodeJS.Signals | null = null;

  constructor(
    readonly command: string,
    readonly args: readonly string[],
  ) {
    super();
  }

  print(line: string): void {
    this.stdout.write(`${line}\n`);
  }

  crash(code: number, stderr = ''): void {
    if (stderr) this.stderr.write(stderr);
    // Let the stream data arrive before the exit, as it does for a real process.
    setImmediate(() => this.emit('exit', code, null));
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.killedWith = signal;
    setImmediate(() => this.emit('exit', null, signal));
    return true;
  }
}

/** A spawner that records every helper it starts. */
export function fakeSpawner(): { spawn: SpawnHelper; started: FakeHelper[] } {
  const started: FakeHelper[] = [];
  return {
    started,
    spawn: (command, args) => {
      const helper = new FakeHelper(command, args);
      started.push(helper);
      return helper;
    },
  };
}

export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
