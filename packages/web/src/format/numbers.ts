/** Numbers, percentages, dates and times in the person's locale (the browser's). */

export function formatNumber(value: number, locale?: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** "42 %" / "42%" as the locale writes it; `share` is 0…1. */
export function formatPercent(share: number, locale?: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** "Fri, 4 Dec" for a local date `YYYY-MM-DD` (read at noon UTC so no zone shifts the day). */
export function formatDay(date: string, locale?: string, options?: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
    ...options,
  }).format(new Date(`${date}T12:00:00Z`));
}

/** "14:05" / "2:05 PM" for an instant, in the given zone. */
export function formatTime(iso: string, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** "4 Dec 2026, 14:05" for an instant (last seen, created at …), in the browser's zone. */
export function formatDateTime(iso: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
