/**
 * The person's privacy settings: detail level, ignore rules, pause,
 * retention and working hours. Rules name apps and sites and working hours
 * a time zone, so both are stored encrypted. The compiled form is cached per
 * person: ingest consults it for every event.
 */
import {
  BoundedCache,
  compilePrivacy,
  DEFAULT_PRIVACY,
  type CompiledPrivacy,
  type IgnoreRule,
  type PrivacySettings,
  type WorkingHours,
} from '@sundial/core';
import { decryptField, encryptField } from '@sundial/crypto';
import type { Store } from '@sundial/store';
import type { Keyring } from '../../keys/keyring.js';

const RULES_CONTEXT = { table: 'privacy_settings', column: 'rules' } as const;
const HOURS_CONTEXT = { table: 'privacy_settings', column: 'working_hours' } as const;

export interface PrivacyService {
  get(userId: string): Promise<PrivacySettings>;
  compiled(userId: string): Promise<CompiledPrivacy>;
  /** Stores valid settings (the caller validates); answers the stored settings. */
  put(userId: string, settings: PrivacySettings): Promise<PrivacySettings>;
  forget(userId: string): void;
}

export function privacyService(deps: { store: Store; keyring: Keyring; now: () => number }): PrivacyService {
  // Compiled settings keyed by person, with the stored row's time: every use
  // re-reads that row (one primary-key lookup), so a change made through any
  // server process applies at once everywhere, and the rules are decrypted
  // and compiled again only when they changed.
  const cache = new BoundedCache<string, { updatedAt: number; compiled: CompiledPrivacy }>(10_000);
  const DEFAULT = compilePrivacy(DEFAULT_PRIVACY);

  const service: PrivacyService = {
    async compiled(userId) {
      const row = await deps.store.activitySettings.privacy(userId);
      if (!row) return DEFAULT;
      const cached = cache.get(userId);
      if (cached && cached.updatedAt === row.updatedAt) return cached.compiled;
      const key = await deps.keyring.dataKey(userId);
      const ignore = JSON.parse(decryptField(key, RULES_CONTEXT, row.rulesCiphertext)) as IgnoreRule[];
      const workingHours =
        row.workingHoursCiphertext === null
          ? null
          : (JSON.parse(decryptField(key, HOURS_CONTEXT, row.workingHoursCiphertext)) as WorkingHours);
      const compiled = compilePrivacy({
        detail: row.detail as PrivacySettings['detail'],
        ignore,
        paused: row.paused,
        retentionDays: row.retentionDays,
        workingHours,
      });
      cache.set(userId, { updatedAt: row.updatedAt, compiled });
      return compiled;
    },
    async get(userId) {
      return (await service.compiled(userId)).settings;
    },
    async put(userId, settings) {
      compilePrivacy(settings);
      // Only the four known fields are kept, in a fixed order.
      const workingHours: WorkingHours | null = settings.workingHours
        ? {
            days: [...settings.workingHours.days].sort((a, b) => a - b),
            start: settings.workingHours.start,
            end: settings.workingHours.end,
            timeZone: settings.workingHours.timeZone,
          }
        : null;
      const key = await deps.keyring.dataKey(userId);
      // Strictly increasing, so two changes within one millisecond still differ.
      const previous = (await deps.store.activitySettings.privacy(userId))?.updatedAt ?? 0;
      await deps.store.activitySettings.putPrivacy(userId, {
        detail: settings.detail,
        rulesCiphertext: encryptField(key, RULES_CONTEXT, JSON.stringify(settings.ignore)),
        paused: settings.paused,
        retentionDays: settings.retentionDays,
        updatedAt: Math.max(deps.now(), previous + 1),
        workingHoursCiphertext:
          workingHours === null ? null : encryptField(key, HOURS_CONTEXT, JSON.stringify(workingHours)),
      });
      cache.delete(userId);
      return { ...settings, workingHours };
    },
    forget(userId) {
      cache.delete(userId);
    },
  };
  return service;
}
