/** Ignore rules: activity matching any of them is dropped before anything of it is stored. */
import { useState, type FormEvent } from 'react';
import type { IgnoreRule } from '../../api/privacy';
import {
  FIELDS,
  MATCHES,
  fieldLabel,
  matchKind,
  matchLabel,
  ruleField,
  type MatchName,
  type RuleFieldName,
} from '../categories/levels';

interface Props {
  readonly rules: readonly IgnoreRule[];
  readonly onSave: (rules: IgnoreRule[]) => Promise<void>;
}

export function IgnoreRules({ rules, onSave }: Props) {
  const [field, setField] = useState<RuleFieldName>('app');
  const [match, setMatch] = useState<MatchName>('exact');
  const [pattern, setPattern] = useState('');
  const add = async (event: FormEvent) => {
    event.preventDefault();
    await onSave([...rules, { field, match, pattern: pattern.trim() }]);
    setPattern('');
  };
  return (
    <section className="card" aria-labelledby="ignore-heading">
      <h2 id="ignore-heading">Ignore rules</h2>
      <p className="hint">
        Activity that matches an ignore rule is never recorded: not its app, title, site or time. Use it for a password
        manager, a banking site, anything private.
      </p>
      {rules.length === 0 ? (
        <p className="muted empty">No ignore rules.</p>
      ) : (
        <ul className="plain-list">
          {rules.map((rule, index) => (
            <li key={`${rule.field}:${rule.match}:${rule.pattern}`} className="row">
              <span className="grow">
                {fieldLabel(rule.field)} {matchLabel(rule.match)} <code>{rule.pattern}</code>
              </span>
              <button type="button" className="button" onClick={() => void onSave(rules.filter((_, i) => i !== index))}>
                Remove<span className="visually-hidden"> ignore rule {rule.pattern}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="inline-form" onSubmit={(e) => void add(e)}>
        <label htmlFor="ignore-field">Ignore when the</label>
        <select id="ignore-field" value={field} onChange={(e) => setField(ruleField(e.target.value))}>
          {FIELDS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <label htmlFor="ignore-match">Match</label>
        <select id="ignore-match" value={match} onChange={(e) => setMatch(matchKind(e.target.value))}>
          {MATCHES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <label htmlFor="ignore-pattern">Pattern</label>
        <input
          id="ignore-pattern"
          required
          maxLength={500}
          value={pattern}
          onChange={(e) => setPattern(e.target.value)}
        />
        <button className="button button-primary" type="submit">
          Add ignore rule
        </button>
      </form>
    </section>
  );
}
