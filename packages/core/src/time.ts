/**
 * Time values on the wire and in storage.
 *
 * Storage and arithmetic use UTC epoch milliseconds (integers). The wire uses
 * ISO 8601 strings, and ActivityWatch clients send three forms: `Z`, an
 * explicit offset, and naive values, which ActivityWatch treats as UTC.
 * `Date.parse` would read a naive value as local time and accepts many
 * non-ISO forms, so parsing here is explicit.
 */

/** Length of one rollup slot. 15 minutes divides every real UTC offset (e.g. +05:45, +08:45). */
export const ROLLUP_SLOT_MS = 15 * 60 * 1000;

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date-time to UTC epoch milliseconds; null when it is not
 * one. Fractions beyond milliseconds are truncated; naive values are UTC.
 */
export function parseIsoTimestamp(text: string): number | null {
  const match = ISO_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = fraction === undefined ? 0 : Number(fraction.padEnd(3, '0').slice(0, 3));
  const offsetMinutes = parseOffset(zone);
  if (offsetMinutes === null) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  return utc - offsetMinutes * 60_000;
}

/** Formats epoch milliseconds as an ISO 8601 UTC string with milliseconds. */
export function formatIsoTimestamp(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** The start of the 15-minute UTC rollup slot that contains the instant. */
export function rollupSlot(epochMs: number): number {
  return Math.floor(epochMs / ROLLUP_SLOT_MS) * ROLLUP_SLOT_MS;
}

function parseOffset(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return sign * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
