/** SQL over `users`. Personal fields arrive and leave as ciphertext; this module never sees plaintext. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, PersonStatus, Role, UsersTable } from '../schema.js';

export interface UserRow {
  readonly id: string;
  readonly emailIndex: Buffer;
  readonly emailCiphertext: Buffer;
  readonly displayNameCiphertext: Buffer | null;
  readonly status: PersonStatus;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly passwordHash: string | null;
  readonly role: Role;
  readonly totpSecretCiphertext: Buffer | null;
  readonly totpEnabled: boolean;
  readonly totpLastStep: number | null;
  readonly needsReset: boolean;
}

export type NewUserRow = Pick<
  UserRow,
  'id' | 'emailIndex' | 'emailCiphertext' | 'displayNameCiphertext' | 'status' | 'createdAt' | 'updatedAt'
> & { readonly passwordHash?: string | null; readonly role?: Role };

export interface UsersRepository {
  /** Inserts the user; false (and nothing written) when the email index is taken. */
  insert(row: NewUserRow): Promise<boolean>;
  byId(id: string): Promise<UserRow | null>;
  idByEmailIndex(emailIndex: Buffer): Promise<string | null>;
  setStatus(id: string, status: PersonStatus, now: number): Promise<boolean>;
  idsWithStatus(status: PersonStatus): Promise<string[]>;
  /** Deletes the user row and, by cascade, every row that belongs to the user. */
  deleteWithRows(id: string): Promise<boolean>;
  count(): Promise<number>;
  setPasswordHash(id: string, hash: string, now: number): Promise<void>;
  /** Changes the email (its index and ciphertext); false when another account has that index. */
  setEmail(id: string, emailIndex: Buffer, emailCiphertext: Buffer, now: number): Promise<boolean>;
  setNeedsReset(id: string, needsReset: boolean, now: number): Promise<void>;
  setTotp(
    id: string,
    state: { secretCiphertext: Buffer | null; enabled: boolean; lastStep: number | null },
    now: number,
  ): Promise<void>;
  /** Records an accepted TOTP step only if it is newer than the last one; false for a replay. */
  advanceTotpStep(id: string, step: number): Promise<boolean>;
}

function toRow(r: Selectable<UsersTable>): UserRow {
  return {
    id: r.id,
    emailIndex: Buffer.from(r.email_index),
    emailCiphertext: Buffer.from(r.email_ct),
    displayNameCiphertext: r.display_name_ct ? Buffer.from(r.display_name_ct) : null,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordHash: r.password_hash,
    role: r.role,
    totpSecretCiphertext: r.totp_secret_ct ? Buffer.from(r.totp_secret_ct) : null,
    totpEnabled: Number(r.totp_enabled) === 1,
    totpLastStep: r.totp_last_step,
    needsReset: Number(r.needs_reset) === 1,
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
          password_hash: row.passwordHash ?? null,
          role: row.role ?? 'member',
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
        for (const table of [
          'sessions',
          'api_tokens',
          'recovery_codes',
          'password_resets',
          'passkeys',
          'events',
          'rollups',
          'buckets',
          'device_pairings',
          // Before devices: it references them.
          'device_status',
          'devices',
          'privacy_settings',
          'aw_settings',
          'category_rules',
          'categories',
          'category_state',
          // Firings first: they reference alerts.
          'alert_firings',
          'alerts',
          'alert_state',
          // After events: they reference names.
          'names',
        ] as const) {
          await trx.deleteFrom(table).where('user_id', '=', id).execute();
        }
        const result = await trx.deleteFrom('users').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) === 1;
      });
    },
    async setPasswordHash(id, hash, now) {
      await db.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', id).execute();
    },
    async setEmail(id, emailIndex, emailCiphertext, now) {
      return db.transaction().execute(async (trx) => {
        const holder = await trx
          .selectFrom('users')
          .select('id')
          .where('email_index', '=', emailIndex)
          .executeTakeFirst();
        if (holder && holder.id !== id) return false;
        await trx
          .updateTable('users')
          .set({ email_index: emailIndex, email_ct: emailCiphertext, updated_at: now })
          .where('id', '=', id)
          .execute();
        return true;
      });
    },
    async setNeedsReset(id, needsReset, now) {
      await db
        .updateTable('users')
        .set({ needs_reset: needsReset ? 1 : 0, updated_at: now })
        .where('id', '=', id)
        .execute();
    },
    async setTotp(id, state, now) {
      await db
        .updateTable('users')
        .set({
          totp_secret_ct: state.secretCiphertext,
          totp_enabled: state.enabled ? 1 : 0,
          totp_last_step: state.lastStep,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    async advanceTotpStep(id, step) {
      // One conditional update: two requests with the same code cannot both pass.
      const result = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
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
