/**
 * Durations as people read them: "3 h 12 min", "45 min", "20 s". Hours and
 * minutes are the person's locale's numbers; the units stay short and
 * unambiguous rather than spelled out.
 */
import { formatNumber } from './numbers';

/** "3 h 12 min" for 11 520 s; seconds appear only under a minute. */
export function formatDuration(seconds: number, locale?: string): string {
  const total = Math.max(0, Math.round(seconds));
  const number = { format: (n: number) => formatNumber(n, locale, { maximumFractionDigits: 0 }) };
  if (total < 60) return `${number.format(total)} s`;
  const minutesTotal = Math.round(total / 60);
  const hours = Math.floor(minutesTotal / 60);
  const minutes = minutesTotal % 60;
  if (hours === 0) return `${number.format(minutes)} min`;
  if (minutes === 0) return `${number.format(hours)} h`;
  return `${number.format(hours)} h ${number.format(minutes)} min`;
}

/** Hours with one decimal for chart axes: "3.5 h" (locale decimal mark). */
export function formatHours(seconds: number, locale?: string): string {
  const hours = seconds / 3600;
  return `${formatNumber(hours, locale, { maximumFractionDigits: hours < 10 ? 1 : 0 })} h`;
}
