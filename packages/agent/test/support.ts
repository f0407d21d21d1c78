/** Shared by the agent suites: temp folders, a fake clock, and a queue file with its recorder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { silentLog, type AgentLog } from '../src/log.js';
import { PauseState } from '../src/pause.js';
import { PrivacyCache } from '../src/privacy/settings.js';
import { openQueueDb, type QueueDb } from '../src/queue/open.js';
import { EventQueue } from '../src/queue/queue.js';
import { QueueState } from '../src/queue/state.js';
import { Recorder } from '../src/recorder.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sundial-agent-test-'));
  dirs.push(dir);
  return dir;
}

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): FakeClock {
  let at = start;
  return {
    now: () => at,
    advance: (ms) => {
      at += ms;
    },
    set: (ms) => {
      at = ms;
    },
  };
}

export interface Local {
  readonly file: string;
  readonly db: QueueDb;
  readonly queue: EventQueue;
  readonly state: QueueState;
  readonly privacy: PrivacyCache;
  readonly pause: PauseState;
  readonly recorder: Recorder;
}

export function openLocal(
  options: {
    dir?: string;
    clock?: FakeClock;
    maxBytes?: number;
    log?: AgentLog;
    detail?: 'app' | 'domain' | 'full';
  } = {},
): Local {
  const file = join(options.dir ?? tempDir(), 'queue.sqlite');
  const log = options.log ?? silentLog;
  const db = openQueueDb(file, log);
  const queue = new EventQueue(db, options.maxBytes ?? 500 * 1024 * 1024, log);
  const state = new QueueState(db);
  const privacy = new PrivacyCache(state);
  if (options.detail) privacy.update({ detail: options.detail, ignore: [], paused: false, retentionDays: null });
  const pause = new PauseState(state);
  const now = options.clock?.now ?? Date.now;
  return { file, db, queue, state, privacy, pause, recorder: new Recorder({ queue, state, privacy, pause, now }) };
}

export function collectLog(): AgentLog & {
  lines: { level: string; message: string; fields: Record<string, unknown> }[];
} {
  const lines: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}
