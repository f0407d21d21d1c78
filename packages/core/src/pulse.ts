/**
 * The productivity pulse: RescueTime's 0–100 score for a span of time.
 *
 * Levels −2 (very distracting) … +2 (very productive) weigh 0 … 4, and the
 * pulse is round(100 · Σ wᵢ·tᵢ / (4 · Σ tᵢ)): all very productive time gives
 * 100, all very distracting 0, all neutral 50. No time at all has no pulse.
 * Rounding is half up (Math.round). With whole seconds the division is
 * correctly rounded and an exact half is representable, so a true .5 always
 * rounds up rather than depending on float noise.
 */

import { PRODUCTIVITY_LEVELS, type ProductivityLevel } from './categories/tree.js';

const LEVELS: readonly ProductivityLevel[] = PRODUCTIVITY_LEVELS;

/** The pulse for the seconds spent at each productivity level; null when no time was spent. */
export function productivityPulse(secondsByLevel: Partial<Record<ProductivityLevel, number>>): number | null {
  let total = 0;
  let weighted = 0;
  for (const level of LEVELS) {
    const seconds = secondsByLevel[level] ?? 0;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`productivityPulse: seconds at level ${level} must be a finite number >= 0`);
    }
    total += seconds;
    weighted += (level + 2) * seconds;
  }
  if (!Number.isFinite(total) || !Number.isFinite(25 * weighted))
    throw new RangeError('productivityPulse: total time is too large');
  if (total === 0) return null;
  // 100 · Σw·t / (4 · Σt), simplified so that whole-second inputs keep both operands exact integers.
  return Math.round((25 * weighted) / total);
}
