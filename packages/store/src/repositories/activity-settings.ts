/**
 * SQL over the person's privacy settings and the ActivityWatch key-value
 * settings. Rule patterns, keys and values are ciphertexts.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface PrivacyRow {
  readonly detail: string;
  readonly rulesCiphertext: Buffer;
  readonly paused: boolean;
  readonly retentionDays: number | null;
  readonly updatedAt: number;
  /** Encrypted JSON of the working hours; null for none. */
  readonly workingHoursCiphertext: Buffer | null;
}

export interface AwSettingRow {
  readonly keyIndex: Buffer;
  readonly keyCiphertext: Buffer;
  readonly valueCiphertext: Buffer;
}

export interface ActivitySettingsRepository {
  privacy(userId: string): Promise<PrivacyRow | null>;
  putPrivacy(userId: string, row: PrivacyRow): Promise<void>;
  /** People with a retention period, and that period in days. */
  retention(): Promise<{ userId: string; days: number }[]>;
  awSettings(userId: string): Promise<AwSettingRow[]>;
  awSetting(userId: string, keyIndex: Buffer): Promise<AwSettingRow | null>;
  putAwSetting(userId: string, row: AwSettingRow, now: number): Promise<void>;
  deleteAwSetting(userId: string, keyIndex: Buffer): Promise<boolean>;
}

export function activitySettingsRepository(db: Kysely<Database>): ActivitySettingsRepository {
  const aw = db.selectFrom('aw_settings').select(['key_index', 'key_ct', 'value_ct']);
  const toAw = (r: { key_index: Buffer; key_ct: Buffer; value_ct: Buffer }): AwSettingRow => ({
    keyIndex: Buffer.from(r.key_index),
    keyCiphertext: Buffer.from(r.key_ct),
    valueCiphertext: Buffer.from(r.value_ct),
  });
  return {
    async privacy(userId) {
      const r = await db.selectFrom('privacy_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
      if (!r) return null;
      return {
        detail: r.detail,
        rulesCiphertext: Buffer.from(r.rules_ct),
        paused: Number(r.paused) === 1,
        retentionDays: r.retention_days === null ? null : Number(r.retention_days),
        updatedAt: Number(r.updated_at),
        workingHoursCiphertext: r.working_hours_ct === null ? null : Buffer.from(r.working_hours_ct),
      };
    },
    async putPrivacy(userId, row) {
      const values = {
        detail: row.detail,
        rules_ct: row.rulesCiphertext,
        paused: row.paused ? 1 : 0,
        retention_days: row.retentionDays,
        updated_at: row.updatedAt,
        working_hours_ct: row.workingHoursCiphertext,
      };
      await db
        .insertInto('privacy_settings')
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
        .execute();
    },
    async retention() {
      const rows = await db
        .selectFrom('privacy_settings')
        .select(['user_id', 'retention_days'])
        .where('retention_days', 'is not', null)
        .execute();
      return rows.map((r) => ({ userId: r.user_id, days: Number(r.retention_days) }));
    },
    async awSettings(userId) {
      return (await aw.where('user_id', '=', userId).execute()).map(toAw);
    },
    async awSetting(userId, keyIndex) {
      const r = await aw.where('user_id', '=', userId).where('key_index', '=', keyIndex).executeTakeFirst();
      return r ? toAw(r) : null;
    },
    async putAwSetting(userId, row, now) {
      const values = { key_ct: row.keyCiphertext, value_ct: row.valueCiphertext, updated_at: now };
      await db
        .insertInto('aw_settings')
        .values({ user_id: userId, key_index: row.keyIndex, ...values })
        .onConflict((oc) => oc.columns(['user_id', 'key_index']).doUpdateSet(values))
        .execute();
    },
    async deleteAwSetting(userId, keyIndex) {
      const r = await db
        .deleteFrom('aw_settings')
        .where('user_id', '=', userId)
        .where('key_index', '=', keyIndex)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
  };
}
