/** SQL over `passkeys` and `webauthn_challenges`. */
import type { Kysely, Selectable } from 'kysely';
import type { Database, PasskeysTable } from '../schema.js';

export interface PasskeyRow {
  readonly userId: string;
  readonly id: string;
  readonly publicKey: Buffer;
  readonly counter: number;
  readonly transports: readonly string[];
  readonly nameCiphertext: Buffer;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

export interface PasskeysRepository {
  insert(row: PasskeyRow): Promise<boolean>;
  byId(id: string): Promise<PasskeyRow | null>;
  list(userId: string): Promise<PasskeyRow[]>;
  /** Records a use; the counter only moves forward (a cloned authenticator shows an old one). */
  used(userId: string, id: string, counter: number, now: number): Promise<void>;
  remove(userId: string, id: string): Promise<boolean>;
  /** Stores a ceremony's challenge. */
  putChallenge(row: {
    id: string;
    userId: string | null;
    purpose: 'register' | 'login';
    challenge: string;
    expiresAt: number;
  }): Promise<void>;
  /** Takes a challenge out (single use): null when unknown, expired, for another purpose or another person. */
  takeChallenge(id: string, purpose: 'register' | 'login', userId: string | null, now: number): Promise<string | null>;
}

function toRow(r: Selectable<PasskeysTable>): PasskeyRow {
  return {
    userId: r.user_id,
    id: r.id,
    publicKey: Buffer.from(r.public_key),
    counter: Number(r.counter),
    transports: r.transports.split(' ').filter(Boolean),
    nameCiphertext: Buffer.from(r.name_ct),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  };
}

export function passkeysRepository(db: Kysely<Database>): PasskeysRepository {
  return {
    async insert(row) {
      const result = await db
        .insertInto('passkeys')
        .values({
          user_id: row.userId,
          id: row.id,
          public_key: row.publicKey,
          counter: row.counter,
          transports: row.transports.join(' '),
          name_ct: row.nameCiphertext,
          created_at: row.createdAt,
          last_used_at: row.lastUsedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async byId(id) {
      const r = await db.selectFrom('passkeys').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async list(userId) {
      const rows = await db
        .selectFrom('passkeys')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return rows.map(toRow);
    },
    async used(userId, id, counter, now) {
      await db
        .updateTable('passkeys')
        .set({ last_used_at: now })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .execute();
      // Only forward: of two log-ins racing, the lower counter must not overwrite the higher one.
      await db
        .updateTable('passkeys')
        .set({ counter })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .where('counter', '<', counter)
        .execute();
    },
    async remove(userId, id) {
      const result = await db
        .deleteFrom('passkeys')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async putChallenge(row) {
      await db
        .deleteFrom('webauthn_challenges')
        .where('expires_at', '<', row.expiresAt - 10 * 60_000)
        .execute();
      await db
        .insertInto('webauthn_challenges')
        .values({
          id: row.id,
          user_id: row.userId,
          purpose: row.purpose,
          challenge: row.challenge,
          expires_at: row.expiresAt,
        })
        .execute();
    },
    async takeChallenge(id, purpose, userId, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('webauthn_challenges').selectAll().where('id', '=', id).executeTakeFirst();
        // Someone else's challenge id is left alone: using it up would only spoil their ceremony.
        if (!row || row.purpose !== purpose || row.user_id !== userId) return null;
        await trx.deleteFrom('webauthn_challenges').where('id', '=', id).execute();
        return row.expires_at > now ? row.challenge : null;
      });
    },
  };
}
