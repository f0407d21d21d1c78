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
import { classifications } from './classification.js';
import { recategoriser, type Recategoriser } from './recategorise.js';
import type { CategoriesService } from '../categories.js';

export interface Activity {
  readonly sources: Sources;
  readonly privacy: PrivacyService;
  readonly ingest: Ingest;
  readonly eraser: Eraser;
  readonly codec: Codec;
  /** Brings category and level rollups up to a person's rules. */
  readonly recategoriser: Recategoriser;
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
export type { RecategorisationStatus } from './recategorise.js';

export function activityServices(deps: {
  store: Store;
  keyring: Keyring;
  names: NamesDictionary;
  categories: CategoriesService;
  now: () => number;
  warn: (message: string, error: unknown) => void;
  /** See WriterDeps.onApplied. */
  onApplied?: (userId: string, delta: readonly RollupCell[]) => void;
}): Activity {
  const { store, keyring, names, now } = deps;
  const codec = activityCodec({ names, keyring });
  const privacy = privacyService({ store, keyring, now });
  const classified = classifications({ names, categories: deps.categories });
  const writer = activityWriter({
    events: store.events,
    now,
    classifications: classified,
    ...(deps.onApplied ? { onApplied: deps.onApplied } : {}),
  });
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
    recategoriser: recategoriser({ store, classifications: classified, warn: deps.warn }),
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
