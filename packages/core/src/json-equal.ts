/**
 * Structural equality of JSON values, as the heartbeat rule and flood need it.
 *
 * Two event data objects are "the same" when they would serialise to the same
 * JSON up to object key order: arrays are ordered, `true` is not `1`, `null`
 * is not a missing key, and NaN (which JSON cannot carry) equals nothing.
 * Keys whose value is `undefined` are absent, as JSON.stringify treats them.
 * Inputs come from parsed JSON, so cycles are not handled.
 */

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const aRecord = a as Record<string, unknown>;
  const bRecord = b as Record<string, unknown>;
  const aKeys = definedKeys(aRecord);
  const bKeys = definedKeys(bRecord);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(bRecord, key) && jsonEqual(aRecord[key], bRecord[key]));
}

function definedKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => record[key] !== undefined);
}
