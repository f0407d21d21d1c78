/**
 * The retention job: deletes activity older than each person's retention
 * period, once at start and then every night. A failed run is logged and
 * retried at the next one; it never stops the server.
 */
import type { Logger } from 'pino';
import type { Eraser } from '../services/activity/erase.js';

const DAY_MS = 86_400_000;

export interface Job {
  stop(): void;
}

export function startRetentionJob(eraser: Eraser, logger: Logger, everyMs = DAY_MS): Job {
  let running: Promise<void> | null = null;
  const run = () => {
    running ??= eraser
      .applyRetention()
      .then((removed) => {
        if (removed > 0) logger.info({ removed }, 'retention: removed old activity');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'retention: run failed'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
