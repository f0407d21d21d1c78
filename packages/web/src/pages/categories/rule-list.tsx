/** The person's rules (editable) and, on request, the default rules (read-only). */
import { useState } from 'react';
import { rulesApi, type Category, type Rule } from '../../api/categories';
import { ConfirmAction } from '../../components/confirm-action';
import { RuleForm } from './rule-form';
import { fieldLabel, levelLabel, matchKind, matchLabel, ruleField } from './levels';
import { FormError } from '../../components/field';
import { wordsFor } from '../../api/client';

interface Props {
  readonly rules: readonly Rule[];
  readonly categories: readonly Category[];
  readonly showDefaults: boolean;
  readonly onShowDefaults: (show: boolean) => void;
  readonly onChanged: () => void;
}

export function RuleList({ rules, categories, showDefaults, onShowDefaults, onChanged }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  const [error, setError] = useState<unknown>(null);
  const nameOf = (id: string | null) =>
    id === null ? 'Uncategorised' : (categories.find((c) => c.id === id)?.path.join(' › ') ?? id);
  const shown = rules.filter((r) => showDefaults || r.source === 'person');
  return (
    <div>
      <label className="checkbox">
        <input type="checkbox" checked={showDefaults} onChange={(e) => onShowDefaults(e.target.checked)} /> Show the
        default rules too
      </label>
      {shown.length === 0 ? (
        <p className="muted empty">You have no rules of your own yet; the default rules apply.</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Rules table">
          <table className="table">
            <caption className="visually-hidden">Categorisation rules</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Category</th>
                <th scope="col">Level</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((rule) =>
                editing === rule.id ? (
                  <tr key={rule.id}>
                    <td colSpan={4}>
                      <RuleForm
                        idPrefix={`rule-${rule.id}`}
                        initial={{
                          field: ruleField(rule.field),
                          match: matchKind(rule.match),
                          pattern: rule.pattern,
                          categoryId: rule.categoryId,
                          level: rule.level,
                        }}
                        categories={categories}
                        submitLabel="Save rule"
                        onCancel={() => setEditing(null)}
                        onSubmit={async (input) => {
                          await rulesApi.update(rule.id, input);
                          setEditing(null);
                          onChanged();
                        }}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={rule.id}>
                    <td>
                      {fieldLabel(rule.field)} {matchLabel(rule.match)} <code>{rule.pattern}</code>
                      {rule.source === 'default' && <span className="badge">default</span>}
                    </td>
                    <td>{nameOf(rule.categoryId)}</td>
                    <td>{rule.level === null ? 'of its category' : levelLabel(rule.level)}</td>
                    <td className="actions">
                      {rule.source === 'person' && (
                        <>
                          <button type="button" className="button" onClick={() => setEditing(rule.id)}>
                            Edit<span className="visually-hidden"> rule {rule.pattern}</span>
                          </button>
                          <button type="button" className="button" onClick={() => setDeleting(rule)}>
                            Delete<span className="visually-hidden"> rule {rule.pattern}</span>
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
      <FormError message={error ? wordsFor(error) : null} />
      {deleting && (
        <ConfirmAction
          open
          title="Delete this rule?"
          confirmLabel="Delete rule"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            setError(null);
            try {
              await rulesApi.remove(deleting.id);
              onChanged();
            } catch (e) {
              setError(e);
            }
            setDeleting(null);
          }}
        >
          {fieldLabel(deleting.field)} {matchLabel(deleting.match)} “{deleting.pattern}” → {nameOf(deleting.categoryId)}
          . Activity it matched is categorised by your other rules and the defaults again, over your whole history.
        </ConfirmAction>
      )}
    </div>
  );
}
