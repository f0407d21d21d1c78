/**
 * The timeline's band draws runs, not blocks: back-to-back blocks of one
 * device in one category become one bar (a busy day has hundreds of blocks
 * of under a minute, which as separate bars are both slow to draw and
 * unreadable). A run keeps its apps, longest first, for the hover text and
 * the drill-down.
 */
import type { Timeline } from '../../api/types';

type Block = Timeline['blocks'][number];

export interface TimelineRun {
  readonly start: string;
  readonly end: string;
  readonly seconds: number;
  readonly device: string;
  readonly category: Block['category'];
  /** Apps in the run with their seconds, longest first. */
  readonly apps: ReadonlyArray<{ readonly name: string; readonly seconds: number }>;
}

/** Blocks closer than this still join one run (rounding of starts and ends). */
const JOIN_GAP_MS = 1000;

export function timelineRuns(blocks: readonly Block[]): TimelineRun[] {
  const open = new Map<
    string,
    {
      start: string;
      end: string;
      endMs: number;
      seconds: number;
      device: string;
      category: Block['category'];
      apps: Map<string, number>;
    }
  >();
  const runs: TimelineRun[] = [];
  const close = (run: NonNullable<ReturnType<typeof open.get>>) =>
    runs.push({
      start: run.start,
      end: run.end,
      seconds: run.seconds,
      device: run.device,
      category: run.category,
      apps: [...run.apps].map(([name, seconds]) => ({ name, seconds })).sort((a, b) => b.seconds - a.seconds),
    });
  const sorted = [...blocks].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  for (const block of sorted) {
    const current = open.get(block.device);
    const startMs = Date.parse(block.start);
    const endMs = Date.parse(block.end);
    if (current && current.category?.id === block.category?.id && startMs - current.endMs <= JOIN_GAP_MS) {
      if (endMs > current.endMs) {
        current.end = block.end;
        current.endMs = endMs;
      }
      current.seconds += block.seconds;
      current.apps.set(block.app, (current.apps.get(block.app) ?? 0) + block.seconds);
      continue;
    }
    if (current) close(current);
    open.set(block.device, {
      start: block.start,
      end: block.end,
      endMs,
      seconds: block.seconds,
      device: block.device,
      category: block.category,
      apps: new Map([[block.app, block.seconds]]),
    });
  }
  for (const run of open.values()) close(run);
  return runs.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}
