/**
 * Apps and sites of the last 30 days with the category each got, the rule
 * that decided it (asked of POST /api/v1/rules/test on request: the reports
 * show an app's or site's own category, which is what the rules give the app
 * or domain alone), and a one-click "categorise as …" for the uncategorised
 * ones, which adds an exact rule.
 */
import { useState } from 'react';
import { rulesApi, type Category, type Rule, type RuleTestResult } from '../../api/categories';
import { activityTotals, type NamedActivity } from '../../api/activity-totals';

const RECENT_DAYS = 30;
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { formatDuration } from '../../format/duration';
import { CategoryOptions } from './category-options';
import { fieldLabel, levelLabel, matchLabel } from './levels';
import { FormError } from '../../components/field';
import { useBusy } from '../../components/use-busy';
import { wordsFor } from '../../api/client';

interface Props {
  readonly categories: readonly Category[];
  readonly rules: readonly Rule[];
  /** Bumped after each change of rules. */
  readonly version: number;
  readonly onChanged: () => void;
}

function CategoriseAs(props: {
  readonly item: NamedActivity;
  readonly categories: readonly Category[];
  readonly onChanged: () => void;
}) {
  const { item, categories } = props;
  const [categoryId, setCategoryId] = useState(categories[0]?.id ?? '');
  const { busy, error, run } = useBusy();
  const id = `categorise-${item.field}-${item.name}`;
  const apply = async () => {
    await run(async () => {
      await rulesApi.create({ field: item.field, match: 'exact', pattern: item.name, categoryId, level: null });
      props.onChanged();
    });
  };
  return (
    <span className="categorise-as">
      <label htmlFor={id} className="visually-hidden">
        Category for {item.name}
      </label>
      <select id={id} value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
        <CategoryOptions categories={categories} />
      </select>
      <button type="button" className="button" disabled={busy || categoryId === ''} onClick={() => void apply()}>
        Categorise<span className="visually-hidden"> {item.name}</span>
      </button>
      <FormError message={error ? wordsFor(error) : null} />
    </span>
  );
}

function WhyButton(props: { readonly item: NamedActivity; readonly rules: readonly Rule[] }) {
  const [answer, setAnswer] = useState<RuleTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const ask = () => {
    rulesApi.test({ [props.item.field]: props.item.name }).then(setAnswer, setError);
  };
  const rule = answer?.ruleId ? props.rules.find((r) => r.id === answer.ruleId) : undefined;
  return (
    <>
      <button type="button" className="button-link" onClick={ask}>
        Which rule?<span className="visually-hidden"> for {props.item.name}</span>
      </button>
      {answer && (
        <span className="why" role="status">
          {answer.ruleId === null
            ? 'No rule matched.'
            : `${answer.source === 'default' ? 'A default rule' : 'Your rule'}${
                rule ? `: ${fieldLabel(rule.field)} ${matchLabel(rule.match)} “${rule.pattern}”` : ''
              }`}
        </span>
      )}
      <FormError message={error ? wordsFor(error) : null} />
    </>
  );
}

export function ActivityCategories({ categories, rules, version, onChanged }: Props) {
  const activity = useLoad((signal) => activityTotals(RECENT_DAYS, signal), [version]);
  if (activity.status === 'loading' && activity.data === null) return <Loading label="Loading your recent activity…" />;
  if (activity.status === 'error') return <ErrorMessage error={activity.error} onRetry={activity.reload} />;
  const items = activity.data?.items ?? [];
  const uncategorised = items.filter((i) => i.category === null);
  const categorised = items.filter((i) => i.category !== null);
  return (
    <>
      <section className="card" aria-labelledby="uncategorised-heading">
        <h2 id="uncategorised-heading">Uncategorised in the last 30 days</h2>
        {uncategorised.length === 0 ? (
          <p className="muted empty">Nothing: every app and site you used has a category.</p>
        ) : (
          <ul className="plain-list" data-testid="uncategorised">
            {uncategorised.map((item) => (
              <li key={`${item.field}:${item.name}`} className="row">
                <span className="grow">
                  {item.name} <span className="muted">({item.field === 'app' ? 'app' : 'site'})</span>
                </span>
                <span className="muted">{formatDuration(item.seconds)}</span>
                <CategoriseAs item={item} categories={categories} onChanged={onChanged} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="categorised-heading">
        <h2 id="categorised-heading">How your recent activity was categorised</h2>
        {categorised.length === 0 ? (
          <p className="muted empty">No categorised activity in the last 30 days.</p>
        ) : (
          <ul className="plain-list">
            {categorised.map((item) => (
              <li key={`${item.field}:${item.name}`} className="row">
                <span className="grow">
                  {item.name} → {item.category?.name} <span className="muted">({levelLabel(item.level)})</span>
                </span>
                <span className="muted">{formatDuration(item.seconds)}</span>
                <WhyButton item={item} rules={rules} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
