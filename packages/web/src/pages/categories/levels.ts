/** Productivity levels as people read them (RescueTime's words and colours). */
export const LEVELS = [
  { value: 2, label: 'Very productive' },
  { value: 1, label: 'Productive' },
  { value: 0, label: 'Neutral' },
  { value: -1, label: 'Distracting' },
  { value: -2, label: 'Very distracting' },
] as const;

export function levelLabel(level: number): string {
  return LEVELS.find((l) => l.value === level)?.label ?? String(level);
}

export const FIELDS = [
  { value: 'app', label: 'App' },
  { value: 'title', label: 'Window title' },
  { value: 'domain', label: 'Site (domain)' },
  { value: 'url', label: 'Address (URL)' },
] as const;

export const MATCHES = [
  { value: 'exact', label: 'is exactly' },
  { value: 'glob', label: 'matches the pattern (* and ?)' },
  { value: 'regex', label: 'matches the regular expression' },
] as const;

export type RuleFieldName = (typeof FIELDS)[number]['value'];
export type MatchName = (typeof MATCHES)[number]['value'];

export function fieldLabel(field: string): string {
  return FIELDS.find((f) => f.value === field)?.label ?? field;
}

export function matchLabel(match: string): string {
  return MATCHES.find((m) => m.value === match)?.label ?? match;
}

/** A field name from a select or the wire, narrowed (anything else reads as `app`). */
export function ruleField(value: string): RuleFieldName {
  return FIELDS.find((f) => f.value === value)?.value ?? 'app';
}

/** A kind of match from a select or the wire, narrowed (anything else reads as `exact`). */
export function matchKind(value: string): MatchName {
  return MATCHES.find((m) => m.value === value)?.value ?? 'exact';
}
