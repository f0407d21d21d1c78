export { uuidv7, isUuid, uuidv7Time } from './ids.js';
export { ROLLUP_SLOT_MS, parseIsoTimestamp, formatIsoTimestamp, rollupSlot } from './time.js';
export { truncateIp } from './ip.js';
export { BoundedCache } from './bounded-cache.js';
export { type TimedEvent, type Period, eventEnd, sortByStart } from './event.js';
export { jsonEqual } from './json-equal.js';
export { type HeartbeatResult, mergeHeartbeat } from './heartbeat.js';
export { flood } from './flood.js';
export { intersectPeriods, unionPeriods, unionNoOverlap, clipToRange, sumDurations } from './periods.js';
