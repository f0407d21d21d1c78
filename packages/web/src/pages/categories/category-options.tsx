/** The <option>s of a category picker: every category by its full path, in the order of those paths. */
import type { Category } from '../../api/categories';

export function CategoryOptions({ categories }: { readonly categories: readonly Category[] }) {
  return (
    <>
      {[...categories]
        .sort((a, b) => a.path.join(' ').localeCompare(b.path.join(' ')))
        .map((c) => (
          <option key={c.id} value={c.id}>
            {c.path.join(' › ')}
          </option>
        ))}
    </>
  );
}
