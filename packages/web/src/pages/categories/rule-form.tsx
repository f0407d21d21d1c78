/** The form for one categorisation rule (add or edit). */
import { useState, type FormEvent } from 'react';
import type { Category, RuleInput } from '../../api/categories';
import { CategoryOptions } from './category-options';
import { FIELDS, LEVELS, MATCHES, matchKind, ruleField } from './levels';
import { FormError } from '../../components/field';
import { useBusy } from '../../components/use-busy';
import { wordsFor } from '../../api/client';

interface Props {
  readonly idPrefix: string;
  readonly initial: RuleInput;
  readonly categories: readonly Category[];
  readonly submitLabel: string;
  readonly onSubmit: (input: RuleInput) => Promise<void>;
  readonly onCancel?: () => void;
  /** Told of each change, so the tester beside the form can try the pattern. */
  readonly onDraft?: (input: RuleInput) => void;
}

export const EMPTY_RULE: RuleInput = { field: 'app', match: 'exact', pattern: '', categoryId: null, level: null };

export function RuleForm(props: Props) {
  const [input, setInput] = useState<RuleInput>(props.initial);
  const { busy, error, run } = useBusy();
  const change = (next: RuleInput) => {
    setInput(next);
    props.onDraft?.(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await props.onSubmit(input);
      if (props.onCancel === undefined) change(EMPTY_RULE);
    });
  };
  const id = (name: string) => `${props.idPrefix}-${name}`;
  return (
    <form className="form-grid rule-form" onSubmit={(e) => void submit(e)}>
      <div>
        <label htmlFor={id('field')}>When the</label>
        <select
          id={id('field')}
          value={input.field}
          onChange={(e) => change({ ...input, field: ruleField(e.target.value) })}
        >
          {FIELDS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={id('match')}>Match</label>
        <select
          id={id('match')}
          value={input.match}
          onChange={(e) => change({ ...input, match: matchKind(e.target.value) })}
        >
          {MATCHES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={id('pattern')}>Pattern</label>
        <input
          id={id('pattern')}
          required
          maxLength={500}
          value={input.pattern}
          onChange={(e) => change({ ...input, pattern: e.target.value })}
        />
      </div>
      <div>
        <label htmlFor={id('category')}>Put it in</label>
        <select
          id={id('category')}
          value={input.categoryId ?? ''}
          onChange={(e) => change({ ...input, categoryId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">(uncategorised)</option>
          <CategoryOptions categories={props.categories} />
        </select>
      </div>
      <div>
        <label htmlFor={id('level')}>Level</label>
        <select
          id={id('level')}
          value={input.level === null || input.level === undefined ? '' : String(input.level)}
          onChange={(e) => change({ ...input, level: e.target.value === '' ? null : Number(e.target.value) })}
        >
          <option value="">the category’s</option>
          {LEVELS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </div>
      <div className="button-row">
        <button className="button button-primary" type="submit" disabled={busy}>
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
