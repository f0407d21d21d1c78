/**
 * The activity services of one process, wired together: sources (devices,
 * buckets), privacy settings, ingest, reads, erase and retention.
 */
import type { RollupCell } from '@sundial/core';
import type { EventQuery, Store } from '@sundial/store';
import type { Keyring } from '../../keys/keyring.js';
import type { NamesDictionary } from '../names-dictionary.js';
import { awSettingsService, type AwSettings } from './aw-settings.js';
import { activityCodec, type Codec } from './codec.js';
import { eraser, type Eraser } from './erase.js';
import { ingest, storedEvent, type Ingest, type StoredEvent } from './ingest.js';
import { privacyService, type PrivacyService } from './privacy-settings.js';
import { activitySources, type Sources } from './sources.js';
import { activityWriter } from './writer.js';

export interface Activity {
  readonly sources: Sources;
  readonly privacy: PrivacyService;
  readonly ingest: Ingest;
  readonly eraser: Eraser;
  readonly codec: Codec;
  /** ActivityWatch's key → JSON settings. */
  readonly awSettings: AwSettings;
  /** The person's events, decrypted. */
  events(userId: string, query: EventQuery): Promise<StoredEvent[]>;
  event(userId: string, seq: number): Promise<StoredEvent | null>;
}

export type { StoredEvent, EventInput, BatchItem } from './ingest.js';
export type { Bucket, NewBucket, Device } from './sources.js';
export type { EraseSelector } from './erase.js';
export { BATCH_LIMIT } from './ingest.js';
export { kindOfBucketType } from './content.js';
export { BUCKET_TYPES, MANUAL_DEVICE } from './sources.js';
export type { AwSettings } from './aw-settings.js';

export function activityServices(deps: {
  store: Store;
  keyring: Keyring;
  names: NamesDictionary;
  now: () => number;
  /** See WriterDeps.onApplied. */
  onApplied?: (userId: string, delta: readonly RollupCell[]) => void;
}): Activity {
  const { store, keyring, names, now } = deps;
  const codec = activityCodec({ names, keyring });
  const privacy = privacyService({ store, keyring, now });
  const writer = activityWriter({ events: store.events, now, ...(deps.onApplied ? { onApplied: deps.onApplied } : {}) });
  const ingestService = ingest({ store, codec, privacy, writer, now });

  async function decoded(userId: string, rows: Awaited<ReturnType<Store['events']['list']>>) {
    const contents = await codec.decode(userId, rows);
    return rows.map((row, i) => storedEvent(row, contents[i] ?? {}));
  }

  return {
    sources: activitySources({ store, keyring, now }),
    privacy,
    ingest: ingestService,
    eraser: eraser({ store, names, writer, ingest: ingestService, now }),
    codec,
    awSettings: awSettingsService({ store, keyring, now }),
    async events(userId, query) {
      return decoded(userId, await store.events.list(userId, query));
    },
    async event(userId, seq) {
      const row = await store.events.bySeq(userId, seq);
      return row ? ((await decoded(userId, [row]))[0] ?? null) : null;
    },
  };
}
