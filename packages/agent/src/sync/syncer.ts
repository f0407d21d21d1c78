/**
 * Uploads the queue: oldest events first, in batches, to POST
 * /api/v1/events; an event leaves the queue only after the server said it
 * stored it (and only if it did not grow meanwhile). The server replaces by
 * id, so a retry after a lost answer stores nothing twice. A batch the
 * server refuses as invalid is split until the one bad event is found and
 * dropped (with a warning), so one bad event cannot block the rest forever.
 * After each sync the agent reports its state (PUT /api/v1/devices/me/status;
 * a server without that route answers 404, which is fine).
 *
 * Syncs never overlap: each waits for the one before, so `flush()` (the
 * local API's reads) sees everything queued before it was called.
 */
import type { AgentLog } from '../log.js';
import type { PrivacyCache } from '../privacy/settings.js';
import type { LocalBuckets } from '../queue/buckets.js';
import type { EventQueue, PendingEvent } from '../queue/queue.js';
import type { QueueState } from '../queue/state.js';
import { backoffDelay, retryAfterMs } from './backoff.js';
import { jsonOf, OfflineError, type ServerClient } from './client.js';
import { PinnedKeyChangedError } from './pins.js';
import { wireEvent } from './wire.js';

export interface SyncDeps {
  readonly queue: EventQueue;
  readonly buckets: LocalBuckets;
  readonly state: QueueState;
  readonly privacy: PrivacyCache;
  readonly client: ServerClient;
  readonly log: AgentLog;
  readonly now: () => number;
  readonly intervalMs: number;
  readonly version: string;
  readonly watchers: () => string;
  readonly batchSize?: number;
  readonly random?: () => number;
  /** How often the privacy settings are fetched again (default: every minute). */
  readonly privacyEveryMs?: number;
}

export type SyncOutcome = { ok: true } | { ok: false; reason: string; retryAfterMs: number | null };

class SyncFailure extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

const LAST_SYNC_KEY = 'lastSyncAt';

export class Syncer {
  private chain: Promise<SyncOutcome> = Promise.resolve({ ok: true });
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private privacyFetchedAt = -Infinity;
  lastError: string | null = null;

  constructor(private readonly deps: SyncDeps) {}

  get lastSyncAt(): number | null {
    return this.deps.state.read<number>(LAST_SYNC_KEY);
  }

  /** Runs one sync after any running one; resolves with how it went. */
  sync(): Promise<SyncOutcome> {
    const next = this.chain.then(() => this.syncNow());
    this.chain = next;
    return next;
  }

  /** Fetches the privacy settings (also at start, before tracking). */
  async refreshPrivacy(): Promise<void> {
    const reply = await this.deps.client.request('GET', '/api/v1/settings/privacy');
    if (reply.status !== 200) throw new SyncFailure(`privacy settings: the server answered ${reply.status}`);
    try {
      this.deps.privacy.update(jsonOf(reply));
    } catch (error) {
      throw new SyncFailure(
        `privacy settings: unusable answer (${error instanceof Error ? error.message : 'not JSON'})`,
      );
    }
    this.privacyFetchedAt = this.deps.now();
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits for the running sync, if any. */
  async idle(): Promise<void> {
    await this.chain;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.sync().then((outcome) => {
        const delay = outcome.ok
          ? this.deps.intervalMs
          : Math.max(backoffDelay(this.deps.intervalMs, this.failures, this.deps.random), outcome.retryAfterMs ?? 0);
        this.schedule(delay);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async syncNow(): Promise<SyncOutcome> {
    const { queue, now } = this.deps;
    try {
      if (now() - this.privacyFetchedAt >= (this.deps.privacyEveryMs ?? 60_000)) {
        // An odd answer about settings must not hold back the upload: the cached settings apply.
        await this.refreshPrivacy().catch((error: unknown) => {
          if (!(error instanceof SyncFailure)) throw error;
          this.privacyFetchedAt = now();
          this.deps.log.warn('privacy settings not refreshed: using the cached ones', { reason: error.message });
        });
      }
      const size = this.deps.batchSize ?? 1000;
      for (;;) {
        const batch = queue.pending(size);
        if (batch.length === 0) break;
        await this.send(batch);
        if (batch.length < size) break;
      }
      this.deps.state.write(LAST_SYNC_KEY, now());
      if (this.failures > 0) this.deps.log.info('server reachable again: queue sent', { failures: this.failures });
      this.failures = 0;
      this.lastError = null;
      await this.reportStatus();
      return { ok: true };
    } catch (error) {
      if (error instanceof PinnedKeyChangedError) this.deps.log.error(error.message);
      this.failures += 1;
      const reason = error instanceof Error ? error.message : String(error);
      if (this.failures === 1 || reason !== this.lastError) {
        this.deps.log.warn('sync failed; events stay queued and are retried', { reason, queued: queue.stats().length });
      }
      this.lastError = reason;
      return { ok: false, reason, retryAfterMs: error instanceof SyncFailure ? error.retryAfterMs : null };
    }
  }

  private async send(batch: readonly PendingEvent[]): Promise<void> {
    const events = batch.map((e) => wireEvent(e, this.deps.buckets));
    const reply = await this.deps.client.request('POST', '/api/v1/events', { events });
    if (reply.status === 200) {
      const body = jsonOf(reply) as { accepted?: unknown } | undefined;
      // A 200 that is not the server's answer (a captive portal, a proxy page): not stored.
      if (typeof body?.accepted !== 'number') throw new SyncFailure('the server answered 200 with an unexpected body');
      this.deps.queue.markSent(batch);
      return;
    }
    if ((reply.status === 400 || reply.status === 413) && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      await this.send(batch.slice(0, half));
      await this.send(batch.slice(half));
      return;
    }
    if (reply.status === 400) {
      this.deps.log.warn('the server refused an event as invalid: dropped it', { kind: batch[0]?.kind ?? null });
      this.deps.queue.markSent(batch);
      return;
    }
    if (reply.status === 429 || reply.status === 503) {
      throw new SyncFailure(
        `the server answered ${reply.status}`,
        retryAfterMs(reply.headers['retry-after'], this.deps.now()),
      );
    }
    if (reply.status === 401 || reply.status === 403) {
      throw new SyncFailure(`the server refused the device token (${reply.status}); pair the device again`);
    }
    throw new SyncFailure(`the server answered ${reply.status}`);
  }

  private async reportStatus(): Promise<void> {
    const { length, oldestStart } = this.deps.queue.stats();
    const last = this.lastSyncAt;
    try {
      const reply = await this.deps.client.request('PUT', '/api/v1/devices/me/status', {
        queueLength: length,
        oldestQueuedAt: oldestStart === null ? null : new Date(oldestStart).toISOString(),
        lastSyncAt: last === null ? null : new Date(last).toISOString(),
        version: this.deps.version,
        watchers: this.deps.watchers().slice(0, 200),
      });
      // 404: a server without the route yet.
      if (reply.status >= 400 && reply.status !== 404) {
        this.deps.log.warn('device status not accepted', { status: reply.status });
      }
    } catch (error) {
      if (!(error instanceof OfflineError)) throw error;
    }
  }
}
