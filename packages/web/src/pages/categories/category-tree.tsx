/** The category tree: each category's name, parent, level and colour, edited in place; add and delete. */
import { useState, type FormEvent } from 'react';
import { categoriesApi, type Category, type CategoryInput } from '../../api/categories';
import { ConfirmAction } from '../../components/confirm-action';
import { LEVELS, levelLabel } from './levels';
import { FormError } from '../../components/field';
import { useBusy } from '../../components/use-busy';
import { wordsFor } from '../../api/client';

interface Props {
  readonly categories: readonly Category[];
  readonly onChanged: () => void;
}

const EMPTY: CategoryInput = { parentId: null, name: '', level: 0, color: '#7f8c8d' };

/** Parents before their children, each child indented under its parent. */
function ordered(categories: readonly Category[]): Category[] {
  return [...categories].sort((a, b) => a.path.join('\u0000').localeCompare(b.path.join('\u0000')));
}

function CategoryForm(props: {
  readonly initial: CategoryInput;
  readonly categories: readonly Category[];
  readonly selfId: string | null;
  readonly submitLabel: string;
  readonly onSubmit: (input: CategoryInput) => Promise<void>;
  readonly onCancel?: () => void;
}) {
  const [input, setInput] = useState(props.initial);
  const { busy, error, run } = useBusy();
  const idPrefix = props.selfId === null ? 'new-category' : `category-${props.selfId}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await run(async () => {
      await props.onSubmit({ ...input, name: input.name.trim() });
      if (props.selfId === null) setInput(EMPTY);
    });
  };
  return (
    <form className="inline-form" onSubmit={(e) => void submit(e)}>
      <label htmlFor={`${idPrefix}-name`}>Name</label>
      <input
        id={`${idPrefix}-name`}
        required
        maxLength={100}
        value={input.name}
        onChange={(e) => setInput({ ...input, name: e.target.value })}
      />
      <label htmlFor={`${idPrefix}-parent`}>Inside</label>
      <select
        id={`${idPrefix}-parent`}
        value={input.parentId ?? ''}
        onChange={(e) => setInput({ ...input, parentId: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">(top level)</option>
        {ordered(props.categories)
          .filter((c) => c.id !== props.selfId)
          .map((c) => (
            <option key={c.id} value={c.id}>
              {c.path.join(' › ')}
            </option>
          ))}
      </select>
      <label htmlFor={`${idPrefix}-level`}>Productivity</label>
      <select
        id={`${idPrefix}-level`}
        value={input.level}
        onChange={(e) => setInput({ ...input, level: Number(e.target.value) })}
      >
        {LEVELS.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label} ({l.value > 0 ? `+${l.value}` : l.value})
          </option>
        ))}
      </select>
      <label htmlFor={`${idPrefix}-color`}>Colour</label>
      <input
        id={`${idPrefix}-color`}
        type="color"
        value={input.color || '#7f8c8d'}
        onChange={(e) => setInput({ ...input, color: e.target.value })}
      />
      <button className="button button-primary" type="submit" disabled={busy}>
        {props.submitLabel}
      </button>
      {props.onCancel && (
        <button type="button" className="button" onClick={props.onCancel}>
          Cancel
        </button>
      )}
      <FormError message={error ? wordsFor(error) : null} />
    </form>
  );
}

export function CategoryTree({ categories, onChanged }: Props) {
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Category | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = ordered(categories);
  const hasChildren = (id: string) => categories.some((c) => c.parentId === id);
  return (
    <section className="card" aria-labelledby="category-tree-heading">
      <h2 id="category-tree-heading">Categories</h2>
      <p className="hint">
        Time in a category counts at its productivity level, from very distracting (−2) to very productive (+2). Changes
        apply to your whole history.
      </p>
      <ul className="category-tree">
        {list.map((c) => (
          <li key={c.id} style={{ paddingInlineStart: `${(c.path.length - 1) * 1.5}rem` }}>
            {editing === c.id ? (
              <CategoryForm
                initial={{ parentId: c.parentId, name: c.name, level: c.level, color: c.color }}
                categories={categories}
                selfId={c.id}
                submitLabel="Save"
                onCancel={() => setEditing(null)}
                onSubmit={async (input) => {
                  await categoriesApi.update(c.id, input);
                  setEditing(null);
                  onChanged();
                }}
              />
            ) : (
              <div className="row">
                <span className="swatch" style={{ backgroundColor: c.color }} aria-hidden="true" />
                <span className="grow">{c.name}</span>
                <span className={`level level-${c.level}`}>{levelLabel(c.level)}</span>
                <button type="button" className="button" onClick={() => setEditing(c.id)} aria-label={`Edit ${c.name}`}>
                  Edit
                </button>
                <button
                  type="button"
                  className="button"
                  onClick={() => setDeleting(c)}
                  disabled={hasChildren(c.id)}
                  title={hasChildren(c.id) ? 'Delete or move its subcategories first' : undefined}
                  aria-label={`Delete ${c.name}`}
                >
                  Delete
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <h3>Add a category</h3>
      <CategoryForm
        initial={EMPTY}
        categories={categories}
        selfId={null}
        submitLabel="Add category"
        onSubmit={async (input) => {
          await categoriesApi.create(input);
          onChanged();
        }}
      />
      <FormError message={error ? wordsFor(error) : null} />
      {deleting && (
        <ConfirmAction
          open
          title={`Delete the category “${deleting.name}”?`}
          confirmLabel="Delete category"
          onCancel={() => setDeleting(null)}
          onConfirm={async () => {
            setError(null);
            try {
              await categoriesApi.remove(deleting.id);
              onChanged();
            } catch (e) {
              setError(e);
            }
            setDeleting(null);
          }}
        >
          Your rules that put activity in it will leave that activity uncategorised (neutral). Your history is
          re-categorised.
        </ConfirmAction>
      )}
    </section>
  );
}
