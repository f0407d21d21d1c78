/**
 * The range picker: today, yesterday, this week, last week, this month, or
 * custom dates. The range lives in the URL (`?range=` or `?from=&to=`) so
 * the back button and a shared link show the same view.
 */
import { useState, type FormEvent } from 'react';
import { InputField } from '../../components/field';
import { daysBetween, isDate, PRESET_LABELS, presetRange, type DateRange, type RangePreset } from '../../format/ranges';

export interface ChosenRange extends DateRange {
  readonly preset: RangePreset;
}

const PRESETS = ['today', 'yesterday', 'this-week', 'last-week', 'this-month'] as const;
/** The server reads at most 3 700 days; ten years is plenty for a person. */
const MAX_DAYS = 3700;

/** The range a URL asks for; anything malformed falls back to today. */
export function rangeFromQuery(query: URLSearchParams, now: Date, timeZone: string): ChosenRange {
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  if (isDate(from) && isDate(to) && from <= to && daysBetween(from, to) < MAX_DAYS) {
    return { preset: 'custom', from, to };
  }
  const asked = query.get('range');
  const preset = PRESETS.find((p) => p === asked) ?? 'today';
  return { preset, ...presetRange(preset, now, timeZone) };
}

export function RangePicker(props: {
  readonly range: ChosenRange;
  readonly onChange: (query: Record<string, string>) => void;
}) {
  const [custom, setCustom] = useState(props.range.preset === 'custom');
  const [from, setFrom] = useState(props.range.from);
  const [to, setTo] = useState(props.range.to);
  const [problem, setProblem] = useState<string | null>(null);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (!isDate(from) || !isDate(to)) return setProblem('Choose both dates.');
    if (from > to) return setProblem('The first date must not be after the last.');
    if (daysBetween(from, to) >= MAX_DAYS) return setProblem('Choose at most ten years.');
    setProblem(null);
    props.onChange({ from, to });
  };

  return (
    <div className="range-picker">
      <div className="segmented" role="group" aria-label="Range">
        {PRESETS.map((preset) => (
          <button
            key={preset}
            type="button"
            aria-pressed={!custom && props.range.preset === preset}
            onClick={() => {
              setCustom(false);
              props.onChange({ range: preset });
            }}
          >
            {PRESET_LABELS[preset]}
          </button>
        ))}
        <button type="button" aria-pressed={custom} onClick={() => setCustom(true)}>
          {PRESET_LABELS.custom}
        </button>
      </div>
      {custom && (
        <form className="custom-range" onSubmit={apply} noValidate>
          <InputField label="From" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
          <InputField label="To" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" className="button button-primary">
            Show
          </button>
          {problem && (
            <p className="field-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
