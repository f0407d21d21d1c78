/**
 * Two tiers of rollups in one table: 15-minute slots under the dimension's
 * own name ("app"), and UTC days under "<dimension>/day" ("app/day"), kept
 * by the same deltas in the same transaction. Long ranges read the day tier
 * for whole UTC days and the slot tier only at their ends, so a year is
 * ≈ 365 rows per key instead of ≈ 35 000.
 *
 * A local day is not a UTC day, but it is one UTC day's cell plus or minus
 * a few hours of slots: [23:00, 23:00) in UTC+1 is day D + slots of the hour
 * before D − slots of D's last hour. `signedParts` picks, for each end of a
 * range, the cheaper of adding the partial day's slots or adding the whole
 * day and subtracting the rest.
 */

export const DAY_MS = 86_400_000;

/** The day-tier dimension of a slot-tier dimension. */
export const dayDimension = (dimension: string): string => `${dimension}/day`;

export const isDayDimension = (dimension: string): boolean => dimension.endsWith('/day');

const floorDay = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
const ceilDay = (t: number) => Math.ceil(t / DAY_MS) * DAY_MS;

interface Cell {
  readonly dimension: string;
  readonly slot: number;
  readonly key: number;
  readonly ms: number;
}

/** The day-tier cells that slot-tier cells add up to (zero sums left out). */
export function dayCells(cells: readonly Cell[]): Cell[] {
  const sums = new Map<string, Cell>();
  for (const c of cells) {
    const dimension = dayDimension(c.dimension);
    const slot = floorDay(c.slot);
    const id = `${dimension}\u0000${slot}\u0000${c.key}`;
    sums.set(id, { dimension, slot, key: c.key, ms: (sums.get(id)?.ms ?? 0) + c.ms });
  }
  return [...sums.values()].filter((c) => c.ms !== 0);
}

/** A part of a range's sum: sign × the cells of `dimension` with slot in [start, end). */
export interface SignedPart {
  readonly sign: 1 | -1;
  readonly dimension: string;
  readonly start: number;
  readonly end: number;
}

/** The range [start, end) (slot-aligned) as signed slot-tier and day-tier parts. */
export function signedParts(dimension: string, start: number, end: number): SignedPart[] {
  if (end <= start) return [];
  const day = dayDimension(dimension);
  const slots = (from: number, to: number, sign: 1 | -1 = 1): SignedPart[] =>
    to > from ? [{ sign, dimension, start: from, end: to }] : [];
  const firstDay = ceilDay(start);
  const lastDay = floorDay(end);
  if (firstDay > lastDay) {
    // Inside one UTC day: its slots, or the day minus what lies outside the range.
    const whole = floorDay(start);
    if (end - start <= DAY_MS / 2) return slots(start, end);
    return [
      { sign: 1, dimension: day, start: whole, end: whole + 1 },
      ...slots(whole, start, -1),
      ...slots(end, whole + DAY_MS, -1),
    ];
  }
  const parts: SignedPart[] = [];
  // Head [start, firstDay): its slots, or the day before minus its beginning.
  if (firstDay - start > DAY_MS / 2) {
    parts.push({ sign: 1, dimension: day, start: firstDay - DAY_MS, end: firstDay - DAY_MS + 1 });
    parts.push(...slots(firstDay - DAY_MS, start, -1));
  } else parts.push(...slots(start, firstDay));
  if (lastDay > firstDay) parts.push({ sign: 1, dimension: day, start: firstDay, end: lastDay });
  // Tail [lastDay, end): its slots, or the whole day minus its end.
  if (end - lastDay > DAY_MS / 2) {
    parts.push({ sign: 1, dimension: day, start: lastDay, end: lastDay + 1 });
    parts.push(...slots(end, lastDay + DAY_MS, -1));
  } else parts.push(...slots(lastDay, end));
  return parts;
}
