/**
 * The person's privacy settings on the device: fetched from the server,
 * cached in the queue file (as received, unknown fields kept, so settings
 * added to the server later survive a round trip through an older agent),
 * and compiled with packages/core's filter.
 *
 * Until settings have ever been received, the agent records at detail `app`
 * (no titles or URLs): the person's choice is unknown, so the most private
 * level holds.
 */
import { compilePrivacy, type CompiledPrivacy, type PrivacySettings } from '@sundial/core';
import type { QueueState } from '../queue/state.js';

const CACHE_KEY = 'privacy';

export const UNKNOWN_PRIVACY: PrivacySettings = Object.freeze({
  detail: 'app',
  ignore: Object.freeze([]),
  paused: false,
  retentionDays: null,
});

export class PrivacyCache {
  private compiled: CompiledPrivacy;
  private raw: Record<string, unknown> | null;

  constructor(private readonly state: QueueState) {
    this.raw = state.read<Record<string, unknown>>(CACHE_KEY);
    this.compiled = compilePrivacy(UNKNOWN_PRIVACY);
    if (this.raw) {
      try {
        this.compiled = compilePrivacy(settingsOf(this.raw));
      } catch {
        this.raw = null;
      }
    }
  }

  get current(): CompiledPrivacy {
    return this.compiled;
  }

  /** True once settings came from the server (now or in an earlier run). */
  get known(): boolean {
    return this.raw !== null;
  }

  /** Takes the server's answer; throws (keeping the old settings) when it cannot be enforced. */
  update(body: unknown): void {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new TypeError('privacy settings: not an object');
    }
    const raw = body as Record<string, unknown>;
    const compiled = compilePrivacy(settingsOf(raw));
    this.state.write(CACHE_KEY, raw);
    this.raw = raw;
    this.compiled = compiled;
  }
}

function settingsOf(raw: Record<string, unknown>): PrivacySettings {
  const { detail, ignore, paused, retentionDays, workingHours } = raw;
  if (typeof paused !== 'boolean') throw new RangeError('invalid privacy settings: paused: must be true or false');
  return {
    detail: detail as PrivacySettings['detail'],
    ignore: (Array.isArray(ignore) ? ignore : []) as PrivacySettings['ignore'],
    paused,
    retentionDays: typeof retentionDays === 'number' ? retentionDays : null,
    // compilePrivacy validates the shape: working hours it cannot enforce refuse the whole update.
    workingHours: (workingHours ?? null) as PrivacySettings['workingHours'],
  };
}
