/**
 * Numbers, percentages, dates and times in the person's locale (the
 * browser's). Formatters are kept once made: building an Intl formatter
 * costs far more than using one, and a day's timeline formats thousands of
 * times.
 */

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale ?? ''}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format as Intl.NumberFormat;
}

function dateFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale ?? ''}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format as Intl.DateTimeFormat;
}

export function formatNumber(value: number, locale?: string, options: Intl.NumberFormatOptions = {}): string {
  return numberFormat(locale, options).format(value);
}

/** "42 %" / "42%" as the locale writes it; `share` is 0…1. */
export function formatPercent(share: number, locale?: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

/** "Fri, 4 Dec" for a local date `YYYY-MM-DD` (read at noon UTC so no zone shifts the day). */
export function formatDay(date: string, locale?: string, options?: Intl.DateTimeFormatOptions): string {
  return dateFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
    ...options,
  }).format(new Date(`${date}T12:00:00Z`));
}

/** "14:05" / "2:05 PM" for an instant, in the given zone. */
export function formatTime(iso: string, timeZone: string, locale?: string): string {
  return dateFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone }).format(new Date(iso));
}

/** "4 Dec 2026, 14:05" for an instant (last seen, created at …), in the browser's zone. */
export function formatDateTime(iso: string, locale?: string): string {
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
