/** The desktop agent: watchers, durable queue, local ActivityWatch API, sync. */
export type { Watcher, WatcherStatus, WindowSample } from './watchers/types.js';
