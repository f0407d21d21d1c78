export { uuidv7, isUuid, uuidv7Time } from './ids.js';
export { ROLLUP_SLOT_MS, parseIsoTimestamp, formatIsoTimestamp, rollupSlot } from './time.js';
export { truncateIp } from './ip.js';
export { BoundedCache } from './bounded-cache.js';
