/**
 * Naming what rollup keys stand for: category keys → the person's categories,
 * app and domain ids → decrypted names with the category their own rule set
 * gives them (an app's category as RescueTime shows it in "top apps").
 */
import { categoryKeys, categoryPath, UNCATEGORISED_KEY, type Category, type ProductivityLevel } from '@sundial/core';
import type { CompiledRules } from '../categories.js';
import type { NamesDictionary } from '../names-dictionary.js';

export interface CategoryLabel {
  readonly id: string | null;
  readonly name: string;
  readonly path: string[];
  readonly level: ProductivityLevel;
}

export const UNCATEGORISED_LABEL: CategoryLabel = Object.freeze({
  id: null,
  name: 'Uncategorised',
  path: [],
  level: 0,
});

/** key → category; keys of categories no longer in the tree (until re-categorised) read as uncategorised. */
export function categoryLabels(categories: readonly Category[]): (key: number) => CategoryLabel {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const keys = categoryKeys(byId.keys());
  return (key) => {
    if (key === UNCATEGORISED_KEY) return UNCATEGORISED_LABEL;
    const category = byId.get(keys.get(key) ?? '');
    if (!category) return UNCATEGORISED_LABEL;
    return { id: category.id, name: category.name, path: categoryPath(categories, category.id), level: category.level };
  };
}

export interface NamedTotal {
  readonly name: string;
  readonly category: { id: string; name: string } | null;
  readonly level: ProductivityLevel;
  readonly ms: number;
}

/** The largest `limit` totals of app or domain ids, named and categorised (only those are decrypted). */
export async function namedTotals(
  names: NamesDictionary,
  rules: CompiledRules,
  userId: string,
  field: 'app' | 'domain',
  totals: readonly { key: number; ms: number }[],
  limit: number,
): Promise<NamedTotal[]> {
  const top = totals
    .filter((t) => t.ms > 0)
    .sort((a, b) => b.ms - a.ms || a.key - b.key)
    .slice(0, limit);
  const resolved = await names.resolve(
    userId,
    top.map((t) => t.key),
  );
  const byId = new Map(rules.categories.map((c) => [c.id, c]));
  return top.map(({ key, ms }) => {
    const name = resolved.get(key)?.value ?? '';
    const verdict = rules.categoriser.categorise({ [field]: name });
    const category = verdict.categoryId === null ? undefined : byId.get(verdict.categoryId);
    return { name, category: category ? { id: category.id, name: category.name } : null, level: verdict.level, ms };
  });
}
