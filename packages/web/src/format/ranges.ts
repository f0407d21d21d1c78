/**
 * Date ranges the range picker offers (today, yesterday, this week …), as
 * local dates `YYYY-MM-DD` in the person's time zone. Weeks start on Monday
 * (ISO), as the server's reports do by default. Pure: "now" is passed in.
 */

export type RangePreset = 'today' | 'yesterday' | 'this-week' | 'last-week' | 'this-month' | 'custom';

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

export const PRESET_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  'this-week': 'This week',
  'last-week': 'Last week',
  'this-month': 'This month',
  custom: 'Custom',
};

/** The browser's IANA zone, e.g. "Europe/Paris" (UTC if the browser will not say). */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** The local date of an instant in a zone, as `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Calendar arithmetic on `YYYY-MM-DD` (no zones involved: a date is a date). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function presetRange(preset: Exclude<RangePreset, 'custom'>, now: Date, timeZone: string): DateRange {
  const today = localDate(now, timeZone);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const day = addDays(today, -1);
      return { from: day, to: day };
    }
    case 'this-week': {
      const monday = addDays(today, 1 - weekday(today));
      return { from: monday, to: today };
    }
    case 'last-week': {
      const monday = addDays(today, 1 - weekday(today) - 7);
      return { from: monday, to: addDays(monday, 6) };
    }
    case 'this-month':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

export function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`));
}
