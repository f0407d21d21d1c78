/**
 * A watcher that replays a recorded timeline from a JSON file, selected
 * with SUNDIAL_AGENT_WATCHER=script:<file>: for tests, demos and checking a
 * server without a desktop. The file holds
 * `{"segments": [{"from": <epoch ms>, "app": "…", "title": "…", "idle": <s>?}]}`;
 * the segment whose `from` is the latest one not after now is the current
 * state. `idle`, when given, is the idle time at `from` and grows with the
 * clock; without it the person is active. A segment without `app` means no
 * window.
 */
import { readFileSync } from 'node:fs';
import type { Watcher, WatcherStatus, WindowSample } from './watchers/types.js';

export interface ScriptSegment {
  readonly from: number;
  readonly app?: string;
  readonly title?: string;
  readonly idle?: number;
}

export function scriptWatcher(segments: readonly ScriptSegment[], now: () => number = Date.now): Watcher {
  const sorted = [...segments].sort((a, b) => a.from - b.from);
  const current = (): ScriptSegment | null => {
    const at = now();
    let found: ScriptSegment | null = null;
    for (const segment of sorted) {
      if (segment.from > at) break;
      found = segment;
    }
    return found;
  };
  return {
    start: async () => undefined,
    stop: async () => undefined,
    currentWindow(): WindowSample | null {
      const segment = current();
      if (segment?.app === undefined) return null;
      return { app: segment.app, title: segment.title ?? '' };
    },
    idleSeconds(): number | null {
      const segment = current();
      if (segment?.idle === undefined) return 0;
      return segment.idle + (now() - segment.from) / 1000;
    },
    status: (): WatcherStatus => ({ platform: 'script', ok: true, detail: `replaying ${sorted.length} segments` }),
  };
}

export function scriptWatcherFromFile(file: string, now?: () => number): Watcher {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { segments?: unknown };
  if (!Array.isArray(parsed.segments)) throw new Error(`${file}: expected {"segments": [...]}`);
  const segments = parsed.segments.map((raw: unknown, i): ScriptSegment => {
    const s = raw as Partial<ScriptSegment>;
    if (typeof s.from !== 'number') throw new Error(`${file}: segments[${i}].from must be a number`);
    return s as ScriptSegment;
  });
  return scriptWatcher(segments, now);
}
