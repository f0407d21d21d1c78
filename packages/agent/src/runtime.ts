/**
 * One running agent: the queue file, the privacy cache, the tracking loop
 * (polling a Watcher every second), sync to the server and the local API.
 * The watcher is a parameter: the platform's in production, a scripted one
 * in tests and demos.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AlertPoller } from './alerts/poller.js';
import type { AgentConfig } from './config.js';
import { startLocalApi, type LocalApi } from './local-api/server.js';
import type { AgentLog } from './log.js';
import { createNotifier, type Notifier } from './notify/index.js';
import { PauseState } from './pause.js';
import { PrivacyCache } from './privacy/settings.js';
import { LocalBuckets } from './queue/buckets.js';
import { openQueueDb } from './queue/open.js';
import { EventQueue } from './queue/queue.js';
import { QueueState } from './queue/state.js';
import { Recorder } from './recorder.js';
import { ServerClient } from './sync/client.js';
import { PinStore } from './sync/pins.js';
import { Syncer } from './sync/syncer.js';
import { Tracker } from './tracker/tracker.js';
import type { Watcher } from './watchers/types.js';

export const AGENT_VERSION = '0.1.0';

export interface AgentDeps {
  readonly config: AgentConfig;
  readonly watcher: Watcher;
  readonly log: AgentLog;
  readonly now?: () => number;
  /** Extra CA certificates for the server (PEM). */
  readonly ca?: string | Buffer;
  /** Shows fired alerts; the platform's notifier by default. */
  readonly notifier?: Notifier;
  /** How often fired alerts are looked for (default 30 s). */
  readonly alertsEveryMs?: number;
  /**
   * Called once when the queue file becomes unreadable while running: the caller stops the agent
   * and exits with a failure, so the supervisor restarts it and the file is set aside at start.
   */
  readonly onFatal?: (reason: string) => void;
}

export interface RunningAgent {
  readonly port: number;
  readonly queue: EventQueue;
  readonly syncer: Syncer | null;
  /** Ends the current events, tries one last upload, and closes everything. */
  stop(): Promise<void>;
}

export const QUEUE_FILE = 'queue.sqlite';

export async function startAgent(deps: AgentDeps): Promise<RunningAgent> {
  const { config, watcher, log } = deps;
  const now = deps.now ?? Date.now;
  const db = openQueueDb(join(config.dataDir, QUEUE_FILE), log, now);
  const queue = new EventQueue(db, config.queueMaxBytes, log);
  const state = new QueueState(db);
  const privacy = new PrivacyCache(state);
  const pause = new PauseState(state);
  const buckets = new LocalBuckets(db);
  const recorder = new Recorder({ queue, state, privacy, pause, now });
  let deviceId = state.read<string>('deviceId');
  if (deviceId === null) {
    deviceId = randomUUID();
    state.write('deviceId', deviceId);
  }

  const client =
    config.server === null
      ? null
      : new ServerClient({
          server: config.server,
          token: config.token,
          pins: new PinStore(config.configDir),
          trustNewKey: config.trustNewKey,
          userAgent: `sundial-agent/${AGENT_VERSION}`,
          ...(deps.ca ? { ca: deps.ca } : {}),
        });
  const watcherLine = () => {
    const s = watcher.status();
    return `${s.platform} ${s.ok ? 'ok' : 'not ok'}`;
  };
  const syncer =
    client === null
      ? null
      : new Syncer({
          queue,
          buckets,
          state,
          privacy,
          client,
          log,
          now,
          intervalMs: config.syncIntervalSeconds * 1000,
          version: AGENT_VERSION,
          watchers: watcherLine,
        });

  if (syncer) {
    // Before tracking: the person's settings decide what may be written at all.
    await syncer.refreshPrivacy().catch((error: unknown) => {
      log.warn(
        privacy.known
          ? 'privacy settings not refreshed: using the cached ones'
          : 'privacy settings unknown: recording apps only until the server answers',
        {
          reason: error instanceof Error ? error.message : String(error),
        },
      );
    });
  }

  await watcher.start().catch((error: unknown) => {
    log.error('the watcher could not start: no window activity is recorded', {
      reason: error instanceof Error ? error.message : String(error),
    });
  });
  const tracker = new Tracker({ watcher, recorder, now, awayAfterSeconds: config.awayAfterSeconds });

  const status = () => {
    const stats = queue.stats();
    const until = pause.until(now());
    const w = watcher.status();
    return {
      version: AGENT_VERSION,
      server: config.server,
      paused: until === undefined ? false : { until: until === null ? null : new Date(until).toISOString() },
      serverPaused: privacy.current.settings.paused,
      detail: privacy.current.settings.detail,
      queue: {
        length: stats.length,
        bytes: stats.bytes,
        oldestQueuedAt: stats.oldestStart === null ? null : new Date(stats.oldestStart).toISOString(),
      },
      lastSyncAt: syncer?.lastSyncAt ? new Date(syncer.lastSyncAt).toISOString() : null,
      lastError: syncer?.lastError ?? null,
      away: tracker.away,
      watchers: { platform: w.platform, ok: w.ok, detail: w.detail },
    };
  };

  let api: LocalApi;
  try {
    api = await startLocalApi({
      host: config.host,
      port: config.port,
      log,
      aw: {
        recorder,
        buckets,
        upstream: client && syncer ? { client, syncer } : null,
        now,
        info: () => ({
          hostname: hostname(),
          version: `sundial-agent ${AGENT_VERSION}`,
          testing: false,
          device_id: deviceId,
        }),
      },
      control: { pause, now, status, onPauseChange: () => tracker.tick() },
    });
  } catch (error) {
    await watcher.stop();
    client?.close();
    db.close();
    const code = (error as { code?: unknown }).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `the local API port ${config.port} on ${config.host} is in use (another agent or ActivityWatch?); set SUNDIAL_AGENT_PORT`
        : `the local API could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  let fatal = false;
  const tick = () => {
    if (fatal) return;
    try {
      tracker.tick();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
        fatal = true;
        const reason = 'the queue file became unreadable; restart the agent to set it aside and start a new one';
        log.error(reason);
        deps.onFatal?.(reason);
        return;
      }
      log.error('recording failed', { error: error instanceof Error ? error.message : 'unknown' });
    }
  };
  tick();
  const timer = setInterval(tick, 1000);
  syncer?.start();
  const alerts =
    client === null
      ? null
      : new AlertPoller({
          client,
          notifier: deps.notifier ?? createNotifier({ platform: process.platform, log }),
          state,
          log,
          now,
          ...(deps.alertsEveryMs === undefined ? {} : { intervalMs: deps.alertsEveryMs }),
        });
  alerts?.start();
  log.info('agent started', { port: api.port, server: config.server, queued: queue.stats().length });

  let stopping: Promise<void> | null = null;
  return {
    port: api.port,
    queue,
    syncer,
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        alerts?.stop();
        tracker.end(now());
        await api.close();
        if (syncer) {
          syncer.stop();
          await Promise.race([syncer.sync(), new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
        }
        await watcher.stop();
        client?.close();
        db.close();
      })();
      return stopping;
    },
  };
}
