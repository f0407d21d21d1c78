/**
 * "Test this rule": the category and level a piece of activity gets with the
 * saved rules (POST /api/v1/rules/test), asked again as the person types, and
 * which rule decided.
 */
import { useEffect, useState } from 'react';
import { rulesApi, type Rule, type RuleTestInput, type RuleTestResult } from '../../api/categories';
import { FIELDS, fieldLabel, levelLabel, matchLabel } from './levels';
import { FormError } from '../../components/field';
import { wordsFor } from '../../api/client';

interface Props {
  /** Prefilled from the rule being written: its pattern, in its field, is a natural first sample. */
  readonly sample: RuleTestInput;
  readonly rules: readonly Rule[];
  /** Bumped after each change of rules, so the answer is asked again. */
  readonly version: number;
}

const DELAY_MS = 250;

export function RuleTester({ sample: initial, rules, version }: Props) {
  const [sample, setSample] = useState<RuleTestInput>(initial);
  const [result, setResult] = useState<RuleTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => setSample(initial), [initial]);

  useEffect(() => {
    const filled = Object.values(sample).some((v) => typeof v === 'string' && v !== '');
    if (!filled) {
      setResult(null);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      const body = Object.fromEntries(Object.entries(sample).filter(([, v]) => v !== '')) as RuleTestInput;
      rulesApi.test(body).then(
        (answer) => {
          if (!current) return;
          setResult(answer);
          setError(null);
        },
        (e: unknown) => {
          if (current) setError(e);
        },
      );
    }, DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [sample, version]);

  const rule = result?.ruleId ? rules.find((r) => r.id === result.ruleId) : undefined;
  return (
    <section className="inner-card" aria-labelledby="rule-tester-heading">
      <h3 id="rule-tester-heading">Test this rule</h3>
      <p className="hint">Type what an activity looks like; the answer uses your saved rules and the defaults.</p>
      <div className="form-grid">
        {FIELDS.map((f) => (
          <div key={f.value}>
            <label htmlFor={`tester-${f.value}`}>{f.label}</label>
            <input
              id={`tester-${f.value}`}
              value={sample[f.value] ?? ''}
              maxLength={2048}
              onChange={(e) => setSample({ ...sample, [f.value]: e.target.value })}
            />
          </div>
        ))}
      </div>
      <FormError message={error ? wordsFor(error) : null} />
      <output aria-live="polite" className="tester-result" data-testid="rule-test-result">
        {result === null
          ? 'Fill in at least one field.'
          : result.category === null
            ? `Uncategorised (${levelLabel(result.level)})`
            : `${result.category.path.join(' › ')} — ${levelLabel(result.level)}`}
        {result !== null &&
          (result.ruleId === null
            ? ' · no rule matched'
            : ` · decided by ${result.source === 'default' ? 'a default rule' : 'your rule'}${
                rule ? `: ${fieldLabel(rule.field)} ${matchLabel(rule.match)} “${rule.pattern}”` : ''
              }`)}
      </output>
    </section>
  );
}
