/** The form for one alert or goal: what time counts, the threshold, the days and the time zone. */
import { useState, type FormEvent } from 'react';
import type { Alert, AlertInput } from '../../api/alerts';
import type { Category } from '../../api/categories';
import { CategoryOptions } from '../categories/category-options';
import { LEVELS } from '../categories/levels';
import { FormError } from '../../components/field';
import { useBusy } from '../../components/use-busy';
import { wordsFor } from '../../api/client';

const DAYS = [
  ['mon', 'Mon'],
  ['tue', 'Tue'],
  ['wed', 'Wed'],
  ['thu', 'Thu'],
  ['fri', 'Fri'],
  ['sat', 'Sat'],
  ['sun', 'Sun'],
] as const;

type Target = AlertInput['target'];
type Day = AlertInput['days'][number];

export const EMPTY_ALERT: AlertInput = {
  name: '',
  target: { kind: 'level', op: '<=', level: -1 },
  comparison: 'more-than',
  minutes: 60,
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  enabled: true,
};

/** The weekdays the wire names (the view's are plain strings). */
function isDay(day: string): day is Day {
  return DAYS.some(([d]) => d === day);
}

export function alertInput(alert: Alert): AlertInput {
  return {
    name: alert.name,
    target: alert.target,
    comparison: alert.comparison === 'at-least' ? 'at-least' : 'more-than',
    minutes: alert.minutes,
    days: alert.days.filter(isDay),
    timeZone: alert.timeZone,
    enabled: alert.enabled,
  };
}

interface Props {
  readonly idPrefix: string;
  readonly initial: AlertInput;
  readonly categories: readonly Category[];
  readonly submitLabel: string;
  readonly onSubmit: (input: AlertInput) => Promise<void>;
  readonly onCancel?: () => void;
}

export function AlertForm(props: Props) {
  const [input, setInput] = useState<AlertInput>(props.initial);
  const { busy, error, run } = useBusy();
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const target = input.target;
  const setTarget = (next: Target) => setInput({ ...input, target: next });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await props.onSubmit({ ...input, name: input.name.trim() });
      if (props.onCancel === undefined) setInput(EMPTY_ALERT);
    });
  };
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)}>
      <div>
        <label htmlFor={id('name')}>Name</label>
        <input
          id={id('name')}
          required
          maxLength={100}
          placeholder="Too much distraction"
          value={input.name}
          onChange={(e) => setInput({ ...input, name: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor={id('kind')}>Time in</label>
        <select
          id={id('kind')}
          value={target.kind}
          onChange={(e) => {
            const kind = e.target.value;
            if (kind === 'level') setTarget({ kind, op: '<=', level: -1 });
            else if (kind === 'category') setTarget({ kind, categoryId: props.categories[0]?.id ?? '' });
            else if (kind === 'app' || kind === 'domain') setTarget({ kind, name: '' });
          }}
        >
          <option value="level">a productivity level</option>
          <option value="category">a category</option>
          <option value="app">an app</option>
          <option value="domain">a site</option>
        </select>
      </div>
      {target.kind === 'level' && (
        <div>
          <label htmlFor={id('level')}>Level</label>
          <select
            id={id('level')}
            value={`${target.op ?? '<='}${target.level ?? 0}`}
            onChange={(e) => {
              const op = e.target.value.startsWith('>=') ? '>=' : '<=';
              setTarget({ kind: 'level', op, level: Number(e.target.value.slice(2)) });
            }}
          >
            {LEVELS.map((l) => (
              <option key={`<=${l.value}`} value={`<=${l.value}`}>
                {l.label} or less productive
              </option>
            ))}
            {LEVELS.map((l) => (
              <option key={`>=${l.value}`} value={`>=${l.value}`}>
                {l.label} or more productive
              </option>
            ))}
          </select>
        </div>
      )}
      {target.kind === 'category' && (
        <div>
          <label htmlFor={id('category')}>Category</label>
          <select
            id={id('category')}
            value={target.categoryId ?? ''}
            onChange={(e) => setTarget({ kind: 'category', categoryId: e.target.value })}
          >
            <CategoryOptions categories={props.categories} />
          </select>
        </div>
      )}
      {(target.kind === 'app' || target.kind === 'domain') && (
        <div>
          <label htmlFor={id('target-name')}>{target.kind === 'app' ? 'App name' : 'Site'}</label>
          <input
            id={id('target-name')}
            required
            maxLength={500}
            value={target.name ?? ''}
            onChange={(e) => setTarget({ kind: target.kind, name: e.target.value })}
          />
        </div>
      )}
      <div>
        <label htmlFor={id('comparison')}>Tell me when today’s time is</label>
        <select
          id={id('comparison')}
          value={input.comparison}
          onChange={(e) => setInput({ ...input, comparison: e.target.value === 'at-least' ? 'at-least' : 'more-than' })}
        >
          <option value="more-than">more than (a limit)</option>
          <option value="at-least">at least (a goal)</option>
        </select>
      </div>
      <div>
        <label htmlFor={id('minutes')}>Minutes</label>
        <input
          id={id('minutes')}
          type="number"
          min={1}
          max={1440}
          required
          value={input.minutes}
          onChange={(e) => setInput({ ...input, minutes: Number(e.target.value) })}
        />
      </div>
      <fieldset>
        <legend>On these days</legend>
        {DAYS.map(([day, label]) => (
          <label key={day} className="checkbox">
            <input
              type="checkbox"
              checked={input.days.includes(day)}
              onChange={(e) =>
                setInput({
                  ...input,
                  days: e.target.checked ? [...input.days, day] : input.days.filter((d) => d !== day),
                })
              }
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <div>
        <label htmlFor={id('zone')}>Time zone</label>
        <input
          id={id('zone')}
          required
          maxLength={64}
          value={input.timeZone}
          onChange={(e) => setInput({ ...input, timeZone: e.target.value })}
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={input.enabled ?? true}
          onChange={(e) => setInput({ ...input, enabled: e.target.checked })}
        />{' '}
        Enabled
      </label>
      <div>
        <button className="button button-primary" type="submit" disabled={busy || input.days.length === 0}>
          {props.submitLabel}
        </button>
        {props.onCancel && (
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
      <FormError message={error ? wordsFor(error) : null} />
    </form>
  );
}
