/**
 * SQL over `device_pairings`: start, approve (with the device and its token,
 * in one transaction), claim once, and clean up. Every state change is one
 * conditional update, so two racing approvals or claims cannot both succeed.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, DevicePairingsTable } from '../schema.js';
import type { ApiTokenRow } from './api-tokens.js';
import type { DeviceRow } from './devices.js';

export interface PairingRow {
  readonly id: string;
  readonly codeIndex: Buffer;
  readonly secretHash: Buffer;
  readonly nameCiphertext: Buffer | null;
  readonly platform: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly userId: string | null;
  readonly deviceId: string | null;
  readonly tokenCiphertext: Buffer | null;
  readonly approvedAt: number | null;
  readonly claimedAt: number | null;
}

export type NewPairingRow = Pick<
  PairingRow,
  'id' | 'codeIndex' | 'secretHash' | 'nameCiphertext' | 'platform' | 'createdAt' | 'expiresAt'
>;

export interface PairingApproval {
  readonly pairingId: string;
  readonly now: number;
  /** The pairing stays claimable until at least this time (a late approval still reaches the agent). */
  readonly claimUntil: number;
  readonly tokenCiphertext: Buffer;
  /** The device's token (its id is the device id) and the device row, inserted with the approval. */
  readonly token: ApiTokenRow;
  readonly device: DeviceRow;
}

export interface PairingsRepository {
  /** Inserts a pending pairing; false when its code index is taken (draw another code). */
  insert(row: NewPairingRow): Promise<boolean>;
  byId(id: string): Promise<PairingRow | null>;
  /** The pending (unapproved, unexpired) pairing with this code, or null. */
  pendingByCode(codeIndex: Buffer, now: number): Promise<PairingRow | null>;
  /**
   * Approves a pending, unexpired pairing for the token's person, inserting
   * the token and the device in the same transaction; false (and nothing
   * written) when it was approved meanwhile or has expired.
   */
  approve(approval: PairingApproval): Promise<boolean>;
  /**
   * Takes the sealed token of an approved, unclaimed, unexpired pairing and
   * erases it; null when there is none to take (pending, claimed, expired,
   * or another claim took it first).
   */
  claim(id: string, now: number): Promise<Buffer | null>;
  /** Deletes pairings that expired before `before`; answers how many. */
  deleteExpired(before: number): Promise<number>;
}

function toRow(r: Selectable<DevicePairingsTable>): PairingRow {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    codeIndex: Buffer.from(r.code_index),
    secretHash: Buffer.from(r.secret_hash),
    nameCiphertext: r.name_ct === null ? null : Buffer.from(r.name_ct),
    platform: r.platform,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    userId: r.user_id,
    deviceId: r.device_id,
    tokenCiphertext: r.token_ct === null ? null : Buffer.from(r.token_ct),
    approvedAt: num(r.approved_at),
    claimedAt: num(r.claimed_at),
  };
}

export function pairingsRepository(db: Kysely<Database>): PairingsRepository {
  return {
    async insert(row) {
      const result = await db
        .insertInto('device_pairings')
        .values({
          id: row.id,
          code_index: row.codeIndex,
          secret_hash: row.secretHash,
          name_ct: row.nameCiphertext,
          platform: row.platform,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
          user_id: null,
          device_id: null,
          token_ct: null,
          approved_at: null,
          claimed_at: null,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async byId(id) {
      const r = await db.selectFrom('device_pairings').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async pendingByCode(codeIndex, now) {
      const r = await db
        .selectFrom('device_pairings')
        .selectAll()
        .where('code_index', '=', codeIndex)
        .where('user_id', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return r ? toRow(r) : null;
    },
    async approve(a) {
      return db.transaction().execute(async (trx) => {
        const updated = await trx
          .updateTable('device_pairings')
          .set((eb) => ({
            user_id: a.token.userId,
            device_id: a.device.id,
            token_ct: a.tokenCiphertext,
            approved_at: a.now,
            // The name now lives in the device row, under the person's key.
            name_ct: null,
            expires_at: eb
              .case()
              .when('expires_at', '<', a.claimUntil)
              .then(a.claimUntil)
              .else(eb.ref('expires_at'))
              .end(),
          }))
          .where('id', '=', a.pairingId)
          .where('user_id', 'is', null)
          .where('expires_at', '>', a.now)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return false;
        await trx
          .insertInto('api_tokens')
          .values({
            user_id: a.token.userId,
            id: a.token.id,
            name_ct: a.token.nameCiphertext,
            token_hash: a.token.tokenHash,
            scopes: a.token.scopes.join(' '),
            created_at: a.token.createdAt,
            last_used_at: a.token.lastUsedAt,
            expires_at: a.token.expiresAt,
            revoked_at: a.token.revokedAt,
          })
          .execute();
        await trx
          .insertInto('devices')
          .values({
            user_id: a.token.userId,
            id: a.device.id,
            name_ct: a.device.nameCiphertext,
            platform: a.device.platform,
            created_at: a.device.createdAt,
            last_seen_at: a.device.lastSeenAt,
          })
          .execute();
        return true;
      });
    },
    async claim(id, now) {
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('device_pairings')
          .select('token_ct')
          .where('id', '=', id)
          .where('claimed_at', 'is', null)
          .where('token_ct', 'is not', null)
          .where('expires_at', '>', now)
          .executeTakeFirst();
        if (!row?.token_ct) return null;
        // Conditional again: of two claims racing here, only one updates the row.
        const taken = await trx
          .updateTable('device_pairings')
          .set({ token_ct: null, claimed_at: now })
          .where('id', '=', id)
          .where('claimed_at', 'is', null)
          .executeTakeFirst();
        return Number(taken.numUpdatedRows) === 1 ? Buffer.from(row.token_ct) : null;
      });
    },
    async deleteExpired(before) {
      const result = await db.deleteFrom('device_pairings').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
