/**
 * Fired alerts become desktop notifications: the agent asks the server for
 * firings since the last one it showed (GET /api/v1/alerts/status) every
 * half minute, and shows each new one once. The last shown instant is kept
 * in the queue file, so a restart shows nothing twice; on the very first
 * run, only firings from then on are shown. A token that may not read
 * alerts (403) stops the polling with one log line.
 */
import type { Notifier } from '../notify/index.js';
import type { AgentLog } from '../log.js';
import type { QueueState } from '../queue/state.js';
import { jsonOf, OfflineError, type ServerClient } from '../sync/client.js';

const SINCE_KEY = 'alertsSince';
const SEEN_KEY = 'alertsSeen';

interface Firing {
  alertId: string;
  name: string;
  day: string;
  firedAt: string;
  seconds: number;
}

function isFiring(value: unknown): value is Firing {
  const f = value as Partial<Firing> | null;
  return (
    typeof f?.alertId === 'string' &&
    typeof f.name === 'string' &&
    typeof f.day === 'string' &&
    typeof f.firedAt === 'string' &&
    typeof f.seconds === 'number'
  );
}

export interface AlertPollerDeps {
  readonly client: ServerClient;
  readonly notifier: Notifier;
  readonly state: QueueState;
  readonly log: AgentLog;
  readonly now: () => number;
  readonly intervalMs?: number;
}

export class AlertPoller {
  private timer: NodeJS.Timeout | null = null;
  private disabled = false;

  constructor(private readonly deps: AlertPollerDeps) {
    if (deps.state.read<string>(SINCE_KEY) === null) deps.state.write(SINCE_KEY, new Date(deps.now()).toISOString());
  }

  start(): void {
    const every = this.deps.intervalMs ?? 30_000;
    const loop = () => {
      void this.poll().finally(() => {
        if (!this.disabled && this.timer !== null) this.timer = setTimeout(loop, every).unref();
      });
    };
    this.timer = setTimeout(loop, 1000).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One round: fetch new firings and show each; answers how many were shown. */
  async poll(): Promise<number> {
    if (this.disabled) return 0;
    const { state, client } = this.deps;
    const since = state.read<string>(SINCE_KEY) ?? new Date(this.deps.now()).toISOString();
    let reply;
    try {
      reply = await client.request('GET', `/api/v1/alerts/status?since=${encodeURIComponent(since)}`);
    } catch (error) {
      if (error instanceof OfflineError) return 0;
      throw error;
    }
    if (reply.status === 401 || reply.status === 403 || reply.status === 404) {
      this.disabled = true;
      this.deps.log.warn('alerts are not shown: the server does not let this device read them', {
        status: reply.status,
      });
      return 0;
    }
    const firings = (jsonOf(reply) as { firings?: unknown } | undefined)?.firings;
    if (reply.status !== 200 || !Array.isArray(firings)) return 0;
    // Firings at exactly `since` come again next time: remember which were shown.
    const seen = new Set(state.read<string[]>(SEEN_KEY) ?? []);
    let shown = 0;
    let latest = since;
    const seenNow: string[] = [];
    for (const firing of firings.filter(isFiring)) {
      const key = `${firing.alertId}/${firing.day}`;
      if (firing.firedAt > latest) latest = firing.firedAt;
      seenNow.push(key);
      if (seen.has(key)) continue;
      const minutes = Math.round(firing.seconds / 60);
      await this.deps.notifier.notify({
        title: `Sundial: ${firing.name}`,
        body: `${minutes} min today (${firing.day})`,
      });
      shown += 1;
    }
    state.write(SINCE_KEY, latest);
    state.write(SEEN_KEY, [...new Set([...seen, ...seenNow])].slice(-200));
    return shown;
  }
}
