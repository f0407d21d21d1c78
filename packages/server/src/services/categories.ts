/**
 * A person's categories and categorisation rules: listing, changing (always
 * checked whole with core's validateTree / validateRules) and the compiled
 * Categoriser that files activity under a category.
 *
 * A person who never changed a category sees DEFAULT_CATEGORIES; their first
 * category change stores a copy of the defaults (same ids) and applies the
 * change to it. The default rules are not stored: they always take part,
 * except those whose category the person deleted. Deleting a category that
 * the person's own rules point at leaves those rules in place, uncategorised
 * (a level they set still applies); a category with children cannot be
 * deleted (409), so nothing is orphaned.
 *
 * Names and patterns are encrypted with the person's data key. The compiled
 * Categoriser is cached per person with the version of category_state it was
 * built from, and every use re-reads that version (one primary-key lookup),
 * so a change made through any server process applies at once everywhere.
 */
import { randomBytes } from 'node:crypto';
import {
  BoundedCache,
  categoryPath,
  compileRules,
  DEFAULT_CATEGORIES,
  DEFAULT_RULES,
  isProductivityLevel,
  uuidv7,
  validateRules,
  validateTree,
  type Category,
  type CategoryInput,
  type CategoryRule,
  type Categoriser,
  type MatchKind,
  type ProductivityLevel,
  type RuleField,
  type RuleSource,
} from '@sundial/core';
import { decryptField, encryptField } from '@sundial/crypto';
import type { CategoryRow, CategoryRuleRow, CategoryWriter, Store } from '@sundial/store';
import { AppError, invalidInput, notFound } from '../errors.js';
import type { Keyring } from '../keys/keyring.js';

const NAME_CONTEXT = { table: 'categories', column: 'name' } as const;
const PATTERN_CONTEXT = { table: 'category_rules', column: 'pattern' } as const;
const DEFAULT_RANK: ReadonlyMap<string, number> = new Map(DEFAULT_CATEGORIES.map(({ id }, index) => [id, index]));

/** A category as the person edits it (the id comes from the path or is made). */
export interface CategoryInputFields {
  readonly parentId: string | null;
  readonly name: string;
  readonly level: number;
  readonly color: string;
}

export interface RuleInputFields {
  readonly field: RuleField;
  readonly match: MatchKind;
  readonly pattern: string;
  readonly categoryId: string | null;
  readonly level?: number | null;
}

export interface CategoryTree {
  readonly categories: readonly Category[];
  /** false while the person sees the default tree. */
  readonly customised: boolean;
}

export interface RuleTestResult {
  readonly category: { id: string; name: string; path: string[]; level: ProductivityLevel } | null;
  readonly level: ProductivityLevel;
  readonly ruleId: string | null;
  readonly source: RuleSource | null;
}

export interface CategoriesService {
  tree(userId: string): Promise<CategoryTree>;
  createCategory(userId: string, input: CategoryInputFields): Promise<Category>;
  updateCategory(userId: string, id: string, input: CategoryInputFields): Promise<Category>;
  deleteCategory(userId: string, id: string): Promise<void>;
  /** The person's own rules, then (with `includeDefaults`) the default rules that apply to their tree. */
  rules(userId: string, includeDefaults: boolean): Promise<CategoryRule[]>;
  createRule(userId: string, input: RuleInputFields): Promise<CategoryRule>;
  updateRule(userId: string, id: string, input: RuleInputFields): Promise<CategoryRule>;
  deleteRule(userId: string, id: string): Promise<void>;
  categoriser(userId: string): Promise<Categoriser>;
  /** The categoriser with the version of the rules it was compiled from, and the tree. */
  compiled(userId: string): Promise<CompiledRules>;
  test(userId: string, input: CategoryInput): Promise<RuleTestResult>;
}

export interface CompiledRules {
  readonly version: number;
  readonly categoriser: Categoriser;
  readonly categories: readonly Category[];
}

interface Compiled extends CompiledRules {
  readonly sources: ReadonlyMap<string, RuleSource>;
}

/** The default rules that still have their category in this tree, without their examples. */
function activeDefaults(categories: readonly Category[]): CategoryRule[] {
  const ids = new Set(categories.map(({ id }) => id));
  return DEFAULT_RULES.filter((rule) => rule.categoryId === null || ids.has(rule.categoryId)).map(
    ({ id, field, match, pattern, categoryId, source }) => ({ id, field, match, pattern, categoryId, source }),
  );
}

/**
 * A core validation message about entry `index` of a list, as the client
 * sent it: `categories[24].name: …` becomes `name: …`. Problems elsewhere in
 * the list keep their full path.
 */
function problemOf(list: 'categories' | 'rules', index: number, problem: string): string {
  const prefix = `${list}[${index}].`;
  return problem.startsWith(prefix) ? problem.slice(prefix.length) : problem;
}

function compile(categories: readonly Category[], personRules: readonly CategoryRule[], version: number): Compiled {
  const rules = [...personRules, ...activeDefaults(categories)];
  return {
    version,
    categories,
    categoriser: compileRules(rules, categories),
    sources: new Map(rules.map((rule) => [rule.id, rule.source])),
  };
}

export interface CategoriesDeps {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly now: () => number;
  /** Told after every committed change (history is re-categorised from there). */
  readonly onChange?: (userId: string) => void;
}

export function categoriesService(deps: CategoriesDeps): CategoriesService {
  const repo = deps.store.categories;
  const cache = new BoundedCache<string, Compiled>(1_000);
  const DEFAULT = compile(DEFAULT_CATEGORIES, [], 0);

  /**
   * Stored rows (in creation order) as categories. The copied defaults share
   * one creation time, so they are put back in the default tree's order.
   */
  async function decryptCategories(userId: string, rows: readonly CategoryRow[]): Promise<Category[]> {
    if (rows.length === 0) return [];
    const key = await deps.keyring.dataKey(userId);
    const rank = (id: string) => DEFAULT_RANK.get(id) ?? DEFAULT_RANK.size;
    return [...rows]
      .sort((a, b) => rank(a.id) - rank(b.id))
      .map((row) => ({
        id: row.id,
        parentId: row.parentId,
        name: decryptField(key, NAME_CONTEXT, row.nameCiphertext),
        level: row.level as ProductivityLevel,
        color: row.color,
      }));
  }

  async function decryptRules(userId: string, rows: readonly CategoryRuleRow[]): Promise<CategoryRule[]> {
    if (rows.length === 0) return [];
    const key = await deps.keyring.dataKey(userId);
    return rows.map((row) => ({
      id: row.id,
      field: row.field as RuleField,
      match: row.match as MatchKind,
      pattern: decryptField(key, PATTERN_CONTEXT, row.patternCiphertext),
      categoryId: row.categoryId,
      ...(row.level === null ? {} : { level: row.level as ProductivityLevel }),
      source: 'person',
    }));
  }

  async function categoryRow(userId: string, category: Category): Promise<CategoryRow> {
    const key = await deps.keyring.dataKey(userId);
    return {
      id: category.id,
      parentId: category.parentId,
      nameCiphertext: encryptField(key, NAME_CONTEXT, category.name),
      level: category.level,
      color: category.color,
    };
  }

  async function ruleRow(userId: string, rule: CategoryRule): Promise<CategoryRuleRow> {
    const key = await deps.keyring.dataKey(userId);
    return {
      id: rule.id,
      field: rule.field,
      match: rule.match,
      patternCiphertext: encryptField(key, PATTERN_CONTEXT, rule.pattern),
      categoryId: rule.categoryId,
      level: rule.level ?? null,
    };
  }

  /** The tree as it stands inside a change. */
  async function treeIn(userId: string, writer: CategoryWriter): Promise<Category[]> {
    return writer.state.customised ? decryptCategories(userId, await writer.categories()) : [...DEFAULT_CATEGORIES];
  }

  /** The person's tree is stored from here on: the defaults are copied first, keeping their ids. */
  async function materialise(userId: string, writer: CategoryWriter, tree: readonly Category[]): Promise<void> {
    if (writer.state.customised) return;
    await writer.storeTree(await Promise.all(tree.map((category) => categoryRow(userId, category))));
  }

  function checkTree(tree: readonly Category[], index: number): void {
    const problem = validateTree(tree);
    if (problem !== null) throw invalidInput(problemOf('categories', index, problem));
  }

  /** Checks one rule (at `index` of the person's rules) together with the rest of the set. */
  function checkRules(tree: readonly Category[], personRules: readonly CategoryRule[], index: number): void {
    const problem = validateRules([...personRules, ...activeDefaults(tree)], tree);
    if (problem !== null) throw invalidInput(problemOf('rules', index, problem));
  }

  function category(id: string, input: CategoryInputFields): Category {
    return {
      id,
      parentId: input.parentId,
      name: input.name,
      level: input.level as ProductivityLevel,
      color: input.color,
    };
  }

  function rule(id: string, input: RuleInputFields): CategoryRule {
    if (input.level !== undefined && input.level !== null && !isProductivityLevel(input.level)) {
      throw invalidInput('level: must be one of -2, -1, 0, 1, 2 when given');
    }
    return {
      id,
      field: input.field,
      match: input.match,
      pattern: input.pattern,
      categoryId: input.categoryId,
      ...(input.level === undefined || input.level === null ? {} : { level: input.level as ProductivityLevel }),
      source: 'person',
    };
  }

  async function compiled(userId: string): Promise<Compiled> {
    const state = await repo.state(userId);
    if (state === null) return DEFAULT;
    const cached = cache.get(userId);
    if (cached && cached.version === state.version) return cached;
    const [categoryRows, ruleRows] = await Promise.all([repo.categories(userId), repo.rules(userId)]);
    const categories = state.customised ? await decryptCategories(userId, categoryRows) : DEFAULT_CATEGORIES;
    const entry = compile(categories, await decryptRules(userId, ruleRows), state.version);
    cache.set(userId, entry);
    return entry;
  }

  async function change<T>(userId: string, work: (writer: CategoryWriter) => Promise<T>): Promise<T> {
    try {
      const result = await repo.change(userId, deps.now(), work);
      deps.onChange?.(userId);
      return result;
    } finally {
      cache.delete(userId);
    }
  }

  const service: CategoriesService = {
    async tree(userId) {
      const state = await repo.state(userId);
      if (state === null || !state.customised) return { categories: DEFAULT_CATEGORIES, customised: false };
      return { categories: await decryptCategories(userId, await repo.categories(userId)), customised: true };
    },

    createCategory(userId, input) {
      return change(userId, async (writer) => {
        const tree = await treeIn(userId, writer);
        const created = category(uuidv7(deps.now(), randomBytes(10)), input);
        checkTree([...tree, created], tree.length);
        await materialise(userId, writer, tree);
        await writer.insertCategory(await categoryRow(userId, created));
        return created;
      });
    },

    updateCategory(userId, id, input) {
      return change(userId, async (writer) => {
        const tree = await treeIn(userId, writer);
        const index = tree.findIndex((c) => c.id === id);
        if (index === -1) throw notFound('No such category');
        const updated = category(id, input);
        checkTree(
          tree.map((c) => (c.id === id ? updated : c)),
          index,
        );
        // Changing the tree keeps the person's rules valid: their categories still exist.
        await materialise(userId, writer, tree);
        await writer.updateCategory(await categoryRow(userId, updated));
        return updated;
      });
    },

    async deleteCategory(userId, id) {
      await change(userId, async (writer) => {
        const tree = await treeIn(userId, writer);
        if (!tree.some((c) => c.id === id)) throw notFound('No such category');
        if (tree.some((c) => c.parentId === id)) {
          throw new AppError('conflict', 'The category has child categories: move or delete them first');
        }
        await materialise(userId, writer, tree);
        await writer.deleteCategory(id);
        await writer.uncategoriseRules(id);
      });
    },

    async rules(userId, includeDefaults) {
      const own = await decryptRules(userId, await repo.rules(userId));
      if (!includeDefaults) return own;
      return [...own, ...activeDefaults((await service.tree(userId)).categories)];
    },

    createRule(userId, input) {
      return change(userId, async (writer) => {
        const tree = await treeIn(userId, writer);
        const own = await decryptRules(userId, await writer.rules());
        const created = rule(uuidv7(deps.now(), randomBytes(10)), input);
        checkRules(tree, [...own, created], own.length);
        await writer.insertRule(await ruleRow(userId, created));
        return created;
      });
    },

    updateRule(userId, id, input) {
      return change(userId, async (writer) => {
        const tree = await treeIn(userId, writer);
        const own = await decryptRules(userId, await writer.rules());
        const index = own.findIndex((r) => r.id === id);
        if (index === -1) throw notFound('No such rule');
        const updated = rule(id, input);
        checkRules(
          tree,
          own.map((r) => (r.id === id ? updated : r)),
          index,
        );
        await writer.updateRule(await ruleRow(userId, updated));
        return updated;
      });
    },

    async deleteRule(userId, id) {
      await change(userId, async (writer) => {
        if (!(await writer.deleteRule(id))) throw notFound('No such rule');
      });
    },

    async categoriser(userId) {
      return (await compiled(userId)).categoriser;
    },

    compiled,

    async test(userId, input) {
      const entry = await compiled(userId);
      const result = entry.categoriser.categorise(input);
      const found = result.categoryId === null ? undefined : entry.categories.find((c) => c.id === result.categoryId);
      return {
        category:
          found === undefined
            ? null
            : {
                id: found.id,
                name: found.name,
                path: categoryPath(entry.categories, found.id),
                level: found.level,
              },
        level: result.level,
        ruleId: result.ruleId,
        source: result.ruleId === null ? null : (entry.sources.get(result.ruleId) ?? null),
      };
    },
  };
  return service;
}
