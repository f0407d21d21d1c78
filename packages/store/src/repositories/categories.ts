/**
 * SQL over a person's categories, their own categorisation rules and the
 * state row that versions both. Names and patterns are ciphertexts.
 *
 * Every change runs in `change`: one transaction that first bumps the
 * person's version (on PostgreSQL that row lock also queues a concurrent
 * change of the same person behind this one), then reads, checks and writes
 * through the writer it is handed. A change that throws leaves nothing
 * behind, the version included.
 */
import { sql, type Kysely, type Transaction, type UpdateObject } from 'kysely';
import type { Database } from '../schema.js';

export interface CategoryRow {
  readonly id: string;
  readonly parentId: string | null;
  readonly nameCiphertext: Buffer;
  readonly level: number;
  readonly color: string;
}

export interface CategoryRuleRow {
  readonly id: string;
  readonly field: string;
  readonly match: string;
  readonly patternCiphertext: Buffer;
  readonly categoryId: string | null;
  readonly level: number | null;
}

export interface CategoryState {
  /** Whether the person's own tree is stored (else they see the default tree). */
  readonly customised: boolean;
  /** Bumped by every change of the person's categories or rules. */
  readonly version: number;
}

/** Reads and writes inside one change; see CategoriesRepository.change. */
export interface CategoryWriter {
  readonly state: CategoryState;
  categories(): Promise<CategoryRow[]>;
  rules(): Promise<CategoryRuleRow[]>;
  /** Inserts the categories and marks the person's tree as stored. */
  storeTree(rows: readonly CategoryRow[]): Promise<void>;
  insertCategory(row: CategoryRow): Promise<void>;
  updateCategory(row: CategoryRow): Promise<boolean>;
  deleteCategory(id: string): Promise<boolean>;
  /** Sets the category of the person's rules that point at `categoryId` to null; answers how many. */
  uncategoriseRules(categoryId: string): Promise<number>;
  insertRule(row: CategoryRuleRow): Promise<void>;
  updateRule(row: CategoryRuleRow): Promise<boolean>;
  deleteRule(id: string): Promise<boolean>;
}

/** How far a person's category and level rollups are from their current rules. */
export interface Categorisation {
  readonly version: number;
  /** The version the rollups were computed with; −1 when never. */
  readonly categorisedVersion: number;
  /** Chunks of history re-categorised so far, of how many (null when no run has reported). */
  readonly done: number | null;
  readonly total: number | null;
}

export interface CategoriesRepository {
  /** Null when the person has no state row (their rollups are current with the defaults). */
  categorisation(userId: string): Promise<Categorisation | null>;
  /** People whose category and level rollups are behind their rules. */
  behind(): Promise<string[]>;
  /** The person's state, or null when they never changed a category or rule. */
  state(userId: string): Promise<CategoryState | null>;
  categories(userId: string): Promise<CategoryRow[]>;
  rules(userId: string): Promise<CategoryRuleRow[]>;
  change<T>(userId: string, now: number, work: (writer: CategoryWriter) => Promise<T>): Promise<T>;
}

type Db = Kysely<Database> | Transaction<Database>;

function readCategories(db: Db, userId: string): Promise<CategoryRow[]> {
  return db
    .selectFrom('categories')
    .select(['id', 'parent_id', 'name_ct', 'level', 'color'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
    .then((rows) =>
      rows.map((r) => ({
        id: r.id,
        parentId: r.parent_id,
        nameCiphertext: Buffer.from(r.name_ct),
        level: Number(r.level),
        color: r.color,
      })),
    );
}

function readRules(db: Db, userId: string): Promise<CategoryRuleRow[]> {
  return db
    .selectFrom('category_rules')
    .select(['id', 'field', 'match', 'pattern_ct', 'category_id', 'level'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
    .then((rows) =>
      rows.map((r) => ({
        id: r.id,
        field: r.field,
        match: r.match,
        patternCiphertext: Buffer.from(r.pattern_ct),
        categoryId: r.category_id,
        level: r.level === null ? null : Number(r.level),
      })),
    );
}

type OwnedTable = 'categories' | 'category_rules';

function writer(trx: Transaction<Database>, userId: string, now: number, state: CategoryState): CategoryWriter {
  const category = (row: CategoryRow) => ({
    parent_id: row.parentId,
    name_ct: row.nameCiphertext,
    level: row.level,
    color: row.color,
    updated_at: now,
  });
  const rule = (row: CategoryRuleRow) => ({
    field: row.field,
    match: row.match,
    pattern_ct: row.patternCiphertext,
    category_id: row.categoryId,
    level: row.level,
    updated_at: now,
  });
  /** One of the person's rows, by id: true when it was there. */
  async function updateOwned<T extends OwnedTable>(table: T, id: string, values: UpdateObject<Database, T>) {
    const result = await trx
      .updateTable(table as OwnedTable)
      .set(values as UpdateObject<Database, OwnedTable>)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
  async function deleteOwned(table: OwnedTable, id: string) {
    const result = await trx.deleteFrom(table).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  return {
    state,
    categories: () => readCategories(trx, userId),
    rules: () => readRules(trx, userId),
    async storeTree(rows) {
      if (rows.length > 0) {
        await trx
          .insertInto('categories')
          .values(rows.map((row) => ({ user_id: userId, id: row.id, created_at: now, ...category(row) })))
          .execute();
      }
      await trx.updateTable('category_state').set({ customised: 1 }).where('user_id', '=', userId).execute();
    },
    async insertCategory(row) {
      await trx
        .insertInto('categories')
        .values({ user_id: userId, id: row.id, created_at: now, ...category(row) })
        .execute();
    },
    updateCategory: (row) => updateOwned('categories', row.id, category(row)),
    deleteCategory: (id) => deleteOwned('categories', id),
    async uncategoriseRules(categoryId) {
      const result = await trx
        .updateTable('category_rules')
        .set({ category_id: null, updated_at: now })
        .where('user_id', '=', userId)
        .where('category_id', '=', categoryId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async insertRule(row) {
      await trx
        .insertInto('category_rules')
        .values({ user_id: userId, id: row.id, created_at: now, ...rule(row) })
        .execute();
    },
    updateRule: (row) => updateOwned('category_rules', row.id, rule(row)),
    deleteRule: (id) => deleteOwned('category_rules', id),
  };
}

export function categoriesRepository(db: Kysely<Database>): CategoriesRepository {
  return {
    async state(userId) {
      const r = await db
        .selectFrom('category_state')
        .select(['customised', 'version'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r ? { customised: Number(r.customised) === 1, version: Number(r.version) } : null;
    },
    async categorisation(userId) {
      const r = await db
        .selectFrom('category_state')
        .select(['version', 'categorised_version', 'progress_done', 'progress_total'])
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!r) return null;
      return {
        version: Number(r.version),
        categorisedVersion: Number(r.categorised_version),
        done: r.progress_done === null ? null : Number(r.progress_done),
        total: r.progress_total === null ? null : Number(r.progress_total),
      };
    },
    async behind() {
      const rows = await db
        .selectFrom('category_state')
        .select('user_id')
        .whereRef('categorised_version', '<', 'version')
        .execute();
      return rows.map((r) => r.user_id);
    },
    categories: (userId) => readCategories(db, userId),
    rules: (userId) => readRules(db, userId),
    change(userId, now, work) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .insertInto('category_state')
          .values({ user_id: userId, customised: 0, version: 1 })
          .onConflict((oc) =>
            // A new version starts its re-categorisation from nothing: the old run's progress goes.
            oc.column('user_id').doUpdateSet({
              version: sql<number>`category_state.version + 1`,
              progress_done: null,
              progress_total: null,
            }),
          )
          .returning(['customised', 'version'])
          .executeTakeFirstOrThrow();
        const state = { customised: Number(r.customised) === 1, version: Number(r.version) };
        return work(writer(trx, userId, now, state));
      });
    },
  };
}
