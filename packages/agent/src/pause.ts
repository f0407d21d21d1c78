/**
 * The person's pause on this device (`sundial agent pause [duration]`),
 * kept in the queue file so it holds across restarts. While paused, nothing
 * is queued. The server-side pause of the privacy settings is separate and
 * applies too.
 */
import type { QueueState } from './queue/state.js';

const KEY = 'pause';

/** `until`: epoch ms when the pause ends, or null for "until resumed". */
interface PauseRecord {
  readonly until: number | null;
}

export class PauseState {
  private record: PauseRecord | null;

  constructor(private readonly state: QueueState) {
    this.record = state.read<PauseRecord>(KEY);
  }

  isPaused(now: number): boolean {
    if (this.record === null) return false;
    return this.record.until === null || now < this.record.until;
  }

  /** When the pause ends (null: until resumed); undefined when not paused. */
  until(now: number): number | null | undefined {
    return this.isPaused(now) ? (this.record?.until ?? null) : undefined;
  }

  pause(until: number | null): void {
    this.record = { until };
    this.state.write(KEY, this.record);
  }

  resume(): void {
    this.record = null;
    this.state.write(KEY, null);
  }
}

/** `30m`, `2h`, `90s`, `1h30m` or a bare number of minutes → milliseconds; null when unreadable. */
export function parseDuration(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text) * 60_000;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') return null;
  const [, h = '0', m = '0', s = '0'] = match;
  const ms = (Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000;
  return ms > 0 ? ms : null;
}
