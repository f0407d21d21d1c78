/**
 * Classification of activity for the `category` and `level` rollups, as
 * core/rollup.ts asks for it: by ids (app, title, domain, url), answered from
 * a per-person cache that holds the categoriser's verdict for every id tuple
 * seen, with the version of the rules it was computed with.
 *
 * Rollups are computed inside the write transaction, where nothing may wait
 * on another query of the store (SQLite has one connection), and names must
 * be decrypted to be categorised. So the classifier handed to core never
 * waits: what it does not know yet it answers provisionally and records as
 * missing; the caller then rolls back, calls `prepare` outside the
 * transaction (resolving names and categorising) and tries again. After the
 * first write of a session almost everything is known, so retries are rare.
 */
import {
  BoundedCache,
  categoryKey,
  isBrowserApp,
  UNCATEGORISED_KEY,
  type ActivityRef,
  type Classification,
  type Classifier,
} from '@sundial/core';
import type { CategoriesService } from '../categories.js';
import type { NamesDictionary } from '../names-dictionary.js';

/** What a classifier lacked: the caller prepares it and tries again. */
export class ClassificationMissing extends Error {
  constructor(
    readonly userId: string,
    readonly version: number,
    readonly activities: readonly ActivityRef[],
    readonly apps: readonly number[],
  ) {
    super('classification needs names that are not cached yet');
    this.name = 'ClassificationMissing';
  }
}

export interface RecordingClassifier extends Classifier {
  /** Throws ClassificationMissing if any answer given was provisional. */
  check(): void;
}

export interface Classifications {
  /** A classifier for the person at this version of their rules. */
  classifier(userId: string, version: number): RecordingClassifier;
  /** Fills the cache with what `missing` lacked (and moves it to the rules' current version). */
  prepare(missing: ClassificationMissing): Promise<void>;
}

interface Entry {
  readonly version: number;
  readonly activities: Map<string, Classification>;
  readonly browsers: Map<number, boolean>;
}

/** Tuples remembered per person before the cache is started afresh. */
const MAX_ACTIVITIES = 100_000;

const activityKey = (a: ActivityRef) => `${a.appId}/${a.titleId ?? ''}/${a.domainId ?? ''}/${a.urlId ?? ''}`;

const PROVISIONAL: Classification = Object.freeze({ category: UNCATEGORISED_KEY, level: 0 });

export function classifications(deps: { names: NamesDictionary; categories: CategoriesService }): Classifications {
  const entries = new BoundedCache<string, Entry>(1_000);

  function entryFor(userId: string, version: number): Entry {
    const current = entries.get(userId);
    if (current && current.version === version) return current;
    const fresh: Entry = { version, activities: new Map(), browsers: new Map() };
    entries.set(userId, fresh);
    return fresh;
  }

  return {
    classifier(userId, version) {
      const entry = entryFor(userId, version);
      const missingActivities = new Map<string, ActivityRef>();
      const missingApps = new Set<number>();
      return {
        isBrowser(appId) {
          const known = entry.browsers.get(appId);
          if (known !== undefined) return known;
          missingApps.add(appId);
          return false;
        },
        classify(activity) {
          const key = activityKey(activity);
          const known = entry.activities.get(key);
          if (known !== undefined) return known;
          missingActivities.set(key, activity);
          return PROVISIONAL;
        },
        check() {
          if (missingActivities.size === 0 && missingApps.size === 0) return;
          throw new ClassificationMissing(userId, version, [...missingActivities.values()], [...missingApps]);
        },
      };
    },

    async prepare(missing) {
      const { userId } = missing;
      const rules = await deps.categories.compiled(userId);
      const entry = entryFor(userId, rules.version);
      if (entry.activities.size > MAX_ACTIVITIES) entry.activities.clear();
      const ids = new Set<number>(missing.apps);
      for (const a of missing.activities) {
        for (const id of [a.appId, a.titleId, a.domainId, a.urlId]) if (id !== null) ids.add(id);
      }
      const names = await deps.names.resolve(userId, [...ids]);
      const value = (id: number | null) => (id === null ? undefined : names.get(id)?.value);
      for (const app of missing.apps) entry.browsers.set(app, isBrowserApp(value(app) ?? ''));
      for (const a of missing.activities) {
        const verdict = rules.categoriser.categorise({
          ...optional('app', value(a.appId)),
          ...optional('title', value(a.titleId)),
          ...optional('domain', value(a.domainId)),
          ...optional('url', value(a.urlId)),
        });
        entry.activities.set(activityKey(a), {
          category: verdict.categoryId === null ? UNCATEGORISED_KEY : categoryKey(verdict.categoryId),
          level: verdict.level,
        });
      }
    },
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
