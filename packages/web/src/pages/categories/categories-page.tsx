/** Categories & rules (/categories): the tree, the rules with a live tester, and how activity was categorised. */
import '../../styles/settings.css';
import { useCallback, useMemo, useState } from 'react';
import { categoriesApi, rulesApi, type RuleInput, type RuleTestInput } from '../../api/categories';
import { ErrorMessage, Loading } from '../../components/states';
import { useLoad } from '../../components/use-load';
import { errorOf } from '../../components/load-error';
import { ActivityCategories } from './activity-categories';
import { CategoryTree } from './category-tree';
import { EMPTY_RULE, RuleForm } from './rule-form';
import { RuleList } from './rule-list';
import { RuleTester } from './rule-tester';

/** An exact pattern is itself a sample of what the rule is for; other kinds leave the tester as it is. */
function sampleOf(draft: RuleInput): RuleTestInput | null {
  return draft.match === 'exact' && draft.pattern !== '' ? { [draft.field]: draft.pattern } : null;
}

export default function CategoriesPage() {
  const [version, setVersion] = useState(0);
  const [showDefaults, setShowDefaults] = useState(false);
  const [sample, setSample] = useState<RuleTestInput>({});
  const categories = useLoad((signal) => categoriesApi.list(signal), [version]);
  const rules = useLoad((signal) => rulesApi.list(signal), [version]);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  const onDraft = useCallback((draft: RuleInput) => {
    const next = sampleOf(draft);
    if (next !== null) setSample(next);
  }, []);
  const tree = useMemo(() => categories.data?.categories ?? [], [categories.data]);
  const allRules = useMemo(() => rules.data?.rules ?? [], [rules.data]);

  return (
    <section className="page settings-page">
      <div className="page-header">
        <h1>Categories &amp; rules</h1>
      </div>
      {(categories.status === 'loading' || rules.status === 'loading') && categories.data === null && (
        <Loading label="Loading your categories…" />
      )}
      {(errorOf(categories) ?? errorOf(rules)) ? <ErrorMessage error={errorOf(categories) ?? errorOf(rules)} /> : null}
      {categories.data && rules.data && (
        <>
          <section className="card" aria-labelledby="rules-heading">
            <h2 id="rules-heading">Rules</h2>
            <p className="hint">
              Rules decide the category of your activity. Exact beats pattern beats regular expression; a rule on the
              title or address beats one on the app or site; your rules beat the defaults. App and site names compare
              without regard to case; a site rule covers its subdomains.
            </p>
            <div className="two-columns">
              <div>
                <h3>Add a rule</h3>
                <RuleForm
                  idPrefix="new-rule"
                  initial={EMPTY_RULE}
                  categories={tree}
                  submitLabel="Add rule"
                  onDraft={onDraft}
                  onSubmit={async (input) => {
                    await rulesApi.create(input);
                    changed();
                  }}
                />
              </div>
              <RuleTester sample={sample} rules={allRules} version={version} />
            </div>
            <RuleList
              rules={allRules}
              categories={tree}
              showDefaults={showDefaults}
              onShowDefaults={setShowDefaults}
              onChanged={changed}
            />
          </section>
          <ActivityCategories categories={tree} rules={allRules} version={version} onChanged={changed} />
          <CategoryTree categories={tree} onChanged={changed} />
        </>
      )}
    </section>
  );
}
