/**
 * The category tree: what activity can be filed under ("Software
 * Development › Terminals") and the productivity level each category gives
 * it, from −2 (very distracting) to +2 (very productive).
 *
 * A tree is a flat list whose entries point at their parent, as it is stored
 * and edited. validateTree checks the whole list before anything uses it, so
 * the other helpers may assume unique ids, existing parents and no cycles —
 * and still stop rather than loop if handed a list that was never checked.
 */

export type ProductivityLevel = -2 | -1 | 0 | 1 | 2;

export const PRODUCTIVITY_LEVELS: readonly ProductivityLevel[] = [-2, -1, 0, 1, 2];

export interface Category {
  readonly id: string;
  /** The parent category's id, or null for a top-level category. */
  readonly parentId: string | null;
  readonly name: string;
  readonly level: ProductivityLevel;
  /** "#rrggbb" (either case). */
  readonly color: string;
}

/** Lengths count characters (code points); depth counts categories from a root (a root alone is depth 1). */
export const CATEGORY_LIMITS = { maxCategories: 500, maxIdLength: 100, maxNameLength: 100, maxDepth: 6 } as const;

const COLOR = /^#[0-9a-f]{6}$/i;

export function isProductivityLevel(value: unknown): value is ProductivityLevel {
  return PRODUCTIVITY_LEVELS.includes(value as ProductivityLevel);
}

/** The problem with a category or rule id, as a suffix of its path, or null. */
export function idProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.trim() === '') return '.id: must be a non-empty string';
  const length = [...id].length;
  if (length > CATEGORY_LIMITS.maxIdLength) {
    return `.id: is too long (${length} characters, at most ${CATEGORY_LIMITS.maxIdLength})`;
  }
  return null;
}

/**
 * Why the list is not a usable tree, naming the first offending entry and
 * field (`categories[3].parentId: …`), or null. Runtime values are checked
 * too: the list may come from storage, an import or an old client.
 *
 * Besides each field's own format: ids are unique, parents exist, no
 * category is its own ancestor, nesting is at most CATEGORY_LIMITS.maxDepth
 * deep, and siblings have different names (ignoring case), so a path such
 * as "Entertainment › Video" names exactly one category.
 */
export function validateTree(categories: readonly Category[]): string | null {
  if (!Array.isArray(categories)) return 'categories: must be a list of categories';
  if (categories.length > CATEGORY_LIMITS.maxCategories) {
    return `categories: at most ${CATEGORY_LIMITS.maxCategories} categories are allowed (got ${categories.length})`;
  }
  const firstIndex = new Map<string, number>();
  for (const [index, category] of categories.entries()) {
    const problem = fieldProblem(category);
    if (problem !== null) return `categories[${index}]${problem}`;
    const seen = firstIndex.get(category.id);
    if (seen !== undefined) return `categories[${index}].id: duplicate of categories[${seen}].id`;
    firstIndex.set(category.id, index);
  }
  for (const [index, { parentId }] of categories.entries()) {
    if (parentId !== null && !firstIndex.has(parentId)) {
      return `categories[${index}].parentId: no category has id ${JSON.stringify(parentId)}`;
    }
  }
  return cycleProblem(categories) ?? depthProblem(categories) ?? siblingProblem(categories);
}

/** The problem with one entry's own fields, as a suffix of `categories[i]`, or null. */
function fieldProblem(category: unknown): string | null {
  if (typeof category !== 'object' || category === null) {
    return ': must be an object with id, parentId, name, level and color';
  }
  const { id, parentId, name, level, color } = category as Record<string, unknown>;
  const invalidId = idProblem(id);
  if (invalidId !== null) return invalidId;
  if (parentId !== null && typeof parentId !== 'string') return '.parentId: must be a category id or null';
  if (typeof name !== 'string' || name.trim() === '') return '.name: must be a non-empty string';
  const length = [...name].length;
  if (length > CATEGORY_LIMITS.maxNameLength) {
    return `.name: is too long (${length} characters, at most ${CATEGORY_LIMITS.maxNameLength})`;
  }
  if (!isProductivityLevel(level)) return `.level: must be one of ${PRODUCTIVITY_LEVELS.join(', ')}`;
  if (typeof color !== 'string' || !COLOR.test(color)) return '.color: must be a colour like #1a2b3c';
  return null;
}

/** The first entry that is its own ancestor, with the loop it is on. */
function cycleProblem(categories: readonly Category[]): string | null {
  const parentOf = new Map(categories.map((category) => [category.id, category.parentId]));
  for (const [index, { id }] of categories.entries()) {
    const chain = [id];
    const visited = new Set(chain);
    let current = parentOf.get(id) ?? null;
    while (current !== null && !visited.has(current)) {
      chain.push(current);
      visited.add(current);
      current = parentOf.get(current) ?? null;
    }
    // Reaching another entry's loop is reported at an entry on that loop.
    if (current === id) return `categories[${index}].parentId: makes a cycle (${[...chain, id].join(' → ')})`;
  }
  return null;
}

function depthProblem(categories: readonly Category[]): string | null {
  const byId = new Map(categories.map((category) => [category.id, category]));
  for (const [index, category] of categories.entries()) {
    if (ancestry(byId, category).length > CATEGORY_LIMITS.maxDepth) {
      return `categories[${index}].parentId: nesting is deeper than ${CATEGORY_LIMITS.maxDepth} levels`;
    }
  }
  return null;
}

function siblingProblem(categories: readonly Category[]): string | null {
  const firstIndex = new Map<string, number>();
  for (const [index, { parentId, name }] of categories.entries()) {
    const key = JSON.stringify([parentId, name.trim().toLowerCase()]);
    const seen = firstIndex.get(key);
    if (seen !== undefined) return `categories[${index}].name: a sibling has the same name (categories[${seen}])`;
    firstIndex.set(key, index);
  }
  return null;
}

/** The category and its ancestors, leaf first; stops at a missing parent or a repeat. */
function ancestry(byId: ReadonlyMap<string, Category>, category: Category): Category[] {
  const chain = [category];
  const visited = new Set([category.id]);
  let parentId = category.parentId;
  while (parentId !== null && !visited.has(parentId)) {
    const parent = byId.get(parentId);
    if (parent === undefined) break;
    chain.push(parent);
    visited.add(parentId);
    parentId = parent.parentId;
  }
  return chain;
}

/** The names from the root down to the category: ["Entertainment", "Video"]. Empty for an unknown id. */
export function categoryPath(categories: readonly Category[], id: string): string[] {
  const byId = new Map(categories.map((category) => [category.id, category]));
  const category = byId.get(id);
  if (category === undefined) return [];
  return ancestry(byId, category)
    .map(({ name }) => name)
    .reverse();
}
