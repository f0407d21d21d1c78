/** SQL over `users`. Personal fields arrive and leave as ciphertext; this module never sees plaintext. */
import type { Kysely } from 'kysely';
import type { Database, PersonStatus } from '../schema.js';

export interface UserRow {
  readonly id: string;
  readonly emailIndex: Buffer;
  readonly emailCiphertext: Buffer;
  readonly displayNameCiphertext: Buffer | null;
  readonly status: PersonStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface UsersRepository {
  /** Inserts the user; false (and nothing written) when the email index is taken. */
  insert(row: UserRow): Promise<boolean>;
  byId(id: string): Promise<UserRow | null>;
  idByEmailIndex(emailIndex: Buffer): Promise<string | null>;
  setStatus(id: string, status: PersonStatus, now: number): Promise<boolean>;
  idsWithStatus(status: PersonStatus): Promise<string[]>;
  /** Deletes the user row and, by cascade, every row that belongs to the user. */
  deleteWithRows(id: string): Promise<boolean>;
  count(): Promise<number>;
}

type Record = Database['users'];

function toRow(r: Record): UserRow {
  return {
    id: r.id,
    emailIndex: Buffer.from(r.email_index),
    emailCiphertext: Buffer.from(r.email_ct),
    displayNameCiphertext: r.display_name_ct ? Buffer.from(r.display_name_ct) : null,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function usersRepository(db: Kysely<Database>): UsersRepository {
  return {
    async insert(row) {
      const result = await db
        .insertInto('users')
        .values({
          id: row.id,
          email_index: row.emailIndex,
          email_ct: row.emailCiphertext,
          display_name_ct: row.displayNameCiphertext,
          status: row.status,
          created_at: row.createdAt,
          updated_at: row.updatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async byId(id) {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async idByEmailIndex(emailIndex) {
      const r = await db.selectFrom('users').select('id').where('email_index', '=', emailIndex).executeTakeFirst();
      return r?.id ?? null;
    },
    async setStatus(id, status, now) {
      const result = await db
        .updateTable('users')
        .set({ status, updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async idsWithStatus(status) {
      const rows = await db.selectFrom('users').select('id').where('status', '=', status).orderBy('id').execute();
      return rows.map((r) => r.id);
    },
    async deleteWithRows(id) {
      return db.transaction().execute(async (trx) => {
        // Explicit deletes rather than trusting every table's cascade: each
        // per-person table added later gets a line here.
        await trx.deleteFrom('names').where('user_id', '=', id).execute();
        const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      });
    },
    async count() {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
