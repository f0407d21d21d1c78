/**
 * Goals and alerts: a person's alerts (name, target and time zone encrypted
 * with their data key), their evaluation as activity arrives, the firings
 * that result, and the listeners (open event streams) of this process.
 *
 * Evaluation is incremental: the activity writer hands `observe` the rollup
 * delta of each committed change. Each person's alerts are cached with the
 * version of alert_state they were read at; the version is re-read at most
 * every `recheckMs`, and this process's own changes drop the entry at once,
 * so a delta for a person without alerts costs no query at all. A delta that
 * adds time under an alert's target today (in the alert's zone) makes it
 * read today's total from rollups; when the total meets the threshold the
 * firing is recorded — once per alert and local day, across processes, by
 * the table's key — and only for the alert's revision that was checked, so
 * a cache another process made stale can miss a firing for a moment but never
 * fire on settings that no longer hold.
 */
import { randomBytes } from 'node:crypto';
import {
  ALERT_LIMITS,
  alertDay,
  BoundedCache,
  categoryKey,
  categorySubtree,
  DEFAULT_CATEGORIES,
  levelKeys,
  normaliseAlert,
  ROLLUP_SLOT_MS,
  rollupSlot,
  thresholdMet,
  uuidv7,
  validateAlert,
  type AlertComparison,
  type AlertDay,
  type AlertSpec,
  type AlertTarget,
  type RollupCell,
  type Weekday,
} from '@sundial/core';
import { decryptField, encryptField, type DataKey } from '@sundial/crypto';
import type { AlertFields, AlertRow, AlertWriter, RollupRow, Store } from '@sundial/store';
import { AppError, invalidInput, notFound } from '../errors.js';
import type { Keyring } from '../keys/keyring.js';
import type { NamesDictionary } from './names-dictionary.js';

export interface Alert extends AlertSpec {
  readonly id: string;
}

/** An alert as the person sends it (checked whole by core's validateAlert). */
export interface AlertInput {
  readonly name: string;
  /** The fields its kind needs, and no others. */
  readonly target: {
    readonly kind: AlertTarget['kind'];
    readonly categoryId?: string;
    readonly op?: '>=' | '<=';
    readonly level?: number;
    readonly name?: string;
  };
  readonly comparison: AlertComparison;
  readonly minutes: number;
  readonly days: readonly string[];
  readonly timeZone: string;
  readonly enabled?: boolean;
}

export interface Firing {
  readonly alertId: string;
  readonly name: string;
  /** The local date in the alert's zone. */
  readonly day: string;
  readonly firedAt: number;
  /** Active seconds observed today when it fired. */
  readonly seconds: number;
}

export type FiringListener = (firing: Firing) => void;

export interface AlertsService {
  list(userId: string): Promise<Alert[]>;
  get(userId: string, id: string): Promise<Alert>;
  create(userId: string, input: AlertInput): Promise<Alert>;
  update(userId: string, id: string, input: AlertInput): Promise<Alert>;
  delete(userId: string, id: string): Promise<void>;
  /** Firings at or after `since`, oldest first, at most FIRINGS_LIMIT. */
  firings(userId: string, since: number): Promise<Firing[]>;
  /** Takes a committed rollup delta; evaluates in the background, failures go to `warn`. */
  observe(userId: string, delta: readonly RollupCell[]): void;
  /** Calls the listener with each firing of the person in this process; answers the unsubscribe. */
  subscribe(userId: string, listener: FiringListener): () => void;
  /** Resolves once every evaluation started so far has finished. */
  idle(): Promise<void>;
}

export interface AlertsDeps {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly names: NamesDictionary;
  readonly now: () => number;
  readonly warn: (message: string, error: unknown) => void;
  /** How long a cached alert list is trusted before its version is re-read (default 30 s). */
  readonly recheckMs?: number;
  /** Open event streams allowed per person in this process (default 5). */
  readonly maxStreams?: number;
}

export const FIRINGS_LIMIT = 1000;
/** Firings older than this are deleted when the person's next alert fires. */
const FIRINGS_KEPT_MS = 90 * 86_400_000;

const NAME = { table: 'alerts', column: 'name' } as const;
const TARGET = { table: 'alerts', column: 'target' } as const;
const ZONE = { table: 'alerts', column: 'time_zone' } as const;

/** An alert under watch, with what evaluating it has learnt so far. */
interface Watched {
  readonly alert: Alert;
  readonly revision: number;
  /** app / domain: the name's dictionary id once it exists. */
  nameId: number | null;
  /** app / domain: rollup keys seen while the name was not found (so none of them is it). */
  readonly ruledOut: Set<number>;
}

interface Cached {
  readonly version: number | null;
  checkedAt: number;
  readonly watched: readonly Watched[];
}

function toAlert(key: DataKey, row: AlertRow): Alert {
  return {
    id: row.id,
    name: decryptField(key, NAME, row.nameCiphertext),
    target: JSON.parse(decryptField(key, TARGET, row.targetCiphertext)) as AlertTarget,
    comparison: row.comparison as AlertComparison,
    minutes: row.minutes,
    days: row.days as Weekday[],
    timeZone: decryptField(key, ZONE, row.timeZoneCiphertext),
    enabled: row.enabled,
  };
}

function toFields(key: DataKey, alert: Alert): AlertFields {
  return {
    id: alert.id,
    nameCiphertext: encryptField(key, NAME, alert.name),
    targetCiphertext: encryptField(key, TARGET, JSON.stringify(alert.target)),
    timeZoneCiphertext: encryptField(key, ZONE, alert.timeZone),
    comparison: alert.comparison,
    minutes: alert.minutes,
    days: alert.days,
    enabled: alert.enabled,
  };
}

export function alertsService(deps: AlertsDeps): AlertsService {
  const repo = deps.store.alerts;
  const recheckMs = deps.recheckMs ?? 30_000;
  const maxStreams = deps.maxStreams ?? 5;
  const cache = new BoundedCache<string, Cached>(10_000);
  /** `user \0 alert \0 day` of firings recorded (here or elsewhere): no need to evaluate again. */
  const fired = new BoundedCache<string, true>(100_000);
  const categoryLinks = new BoundedCache<string, { version: number; links: { id: string; parentId: string | null }[] }>(
    1_000,
  );
  const listeners = new Map<string, Set<FiringListener>>();
  /** Cells of a person waiting for their evaluation to start (later deltas join them). */
  const waiting = new Map<string, RollupCell[]>();
  const queues = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  /** Bumped by every change made here: a list read before it must not be cached. */
  let epoch = 0;

  const isFresh = (cached: Cached, now: number) => now >= cached.checkedAt && now - cached.checkedAt < recheckMs;

  async function current(userId: string): Promise<Cached> {
    const now = deps.now();
    const cached = cache.get(userId);
    if (cached && isFresh(cached, now)) return cached;
    const startedAt = epoch;
    const version = await repo.version(userId);
    if (cached && cached.version === version) {
      cached.checkedAt = now;
      return cached;
    }
    const rows = version === null ? [] : await repo.list(userId);
    const key = rows.length === 0 ? null : await deps.keyring.existingDataKey(userId);
    const watched = key === null ? [] : rows.map((row) => ({ alert: toAlert(key, row), revision: row.revision }));
    const loaded: Cached = {
      version,
      checkedAt: now,
      watched: watched.map((w) => ({ ...w, nameId: null, ruledOut: new Set<number>() })),
    };
    if (startedAt === epoch) cache.set(userId, loaded);
    return loaded;
  }

  /** The person's tree as parent links (names are not needed, so nothing is decrypted). */
  async function links(userId: string) {
    const state = await deps.store.categories.state(userId);
    if (state === null || !state.customised) return DEFAULT_CATEGORIES;
    const cached = categoryLinks.get(userId);
    if (cached && cached.version === state.version) return cached.links;
    const rows = await deps.store.categories.categories(userId);
    const entry = { version: state.version, links: rows.map(({ id, parentId }) => ({ id, parentId })) };
    categoryLinks.set(userId, entry);
    return entry.links;
  }

  /** The rollup keys the alert counts, or null while it counts none (an app never seen, a deleted category). */
  async function keysOf(userId: string, w: Watched, added: readonly RollupCell[]): Promise<Set<number> | null> {
    const { target } = w.alert;
    switch (target.kind) {
      case 'level':
        return new Set(levelKeys(target.op, target.level));
      case 'category': {
        const ids = categorySubtree(await links(userId), target.categoryId);
        return ids.length === 0 ? null : new Set(ids.map(categoryKey));
      }
      case 'app':
      case 'domain': {
        if (w.nameId === null) {
          const fresh = added.filter((cell) => !w.ruledOut.has(cell.key));
          if (fresh.length === 0) return null;
          // Names are stored before the events that use them, so a key in a
          // committed delta whose name is not ours will never be ours.
          w.nameId = await deps.names.find(userId, target.kind, target.name);
          if (w.nameId === null) {
            if (w.ruledOut.size > 10_000) w.ruledOut.clear();
            for (const cell of fresh) w.ruledOut.add(cell.key);
            return null;
          }
        }
        return new Set([w.nameId]);
      }
      default: {
        const unknown: never = target;
        throw new Error(`alert target ${JSON.stringify(unknown)} is not known`);
      }
    }
  }

  function notify(userId: string, firing: Firing): void {
    for (const listener of listeners.get(userId) ?? []) {
      try {
        listener(firing);
      } catch (error) {
        deps.warn('an alert stream failed to take a firing', error);
      }
    }
  }

  async function evaluate(userId: string, delta: readonly RollupCell[]): Promise<void> {
    const { watched } = await current(userId);
    if (watched.length === 0) return;
    const now = deps.now();
    const reads = new Map<string, Promise<RollupRow[]>>();
    const todays = (dimension: string, day: AlertDay) => {
      const id = `${dimension}\u0000${day.start}\u0000${day.end}`;
      let read = reads.get(id);
      if (read === undefined) {
        read = deps.store.events.rollups(userId, dimension, rollupSlot(day.start), day.end);
        reads.set(id, read);
      }
      return read;
    };
    for (const w of watched) {
      // One alert's failure (a zone this runtime no longer knows…) does not hold up the others.
      await evaluateOne(userId, w, delta, now, todays).catch((error: unknown) =>
        deps.warn('alert evaluation failed', error),
      );
    }
  }

  async function evaluateOne(
    userId: string,
    w: Watched,
    delta: readonly RollupCell[],
    now: number,
    todays: (dimension: string, day: AlertDay) => Promise<RollupRow[]>,
  ): Promise<void> {
    const { alert } = w;
    if (!alert.enabled) return;
    const day = alertDay(now, alert.timeZone);
    const firedKey = `${userId}\u0000${alert.id}\u0000${day.date}`;
    if (!alert.days.includes(day.weekday) || fired.get(firedKey)) return;
    const added = delta.filter(
      (cell) => cell.dimension === alert.target.kind && cell.slot < day.end && cell.slot + ROLLUP_SLOT_MS > day.start,
    );
    if (added.length === 0) return;
    const keys = await keysOf(userId, w, added);
    if (keys === null || !added.some((cell) => keys.has(cell.key))) return;
    const observedMs = (await todays(alert.target.kind, day))
      .filter((row) => keys.has(row.key))
      .reduce((sum, row) => sum + row.ms, 0);
    if (!thresholdMet(alert.comparison, alert.minutes, observedMs)) return;
    const firing = { alertId: alert.id, revision: w.revision, day: day.date, firedAt: now, observedMs };
    const outcome = await repo.fire(userId, firing);
    if (outcome === 'stale') {
      cache.delete(userId);
      return;
    }
    fired.set(firedKey, true);
    if (outcome === 'fired') {
      const { alertId, firedAt } = firing;
      notify(userId, { alertId, name: alert.name, day: day.date, firedAt, seconds: Math.floor(observedMs / 1000) });
      await repo.pruneFirings(userId, now - FIRINGS_KEPT_MS);
    }
  }

  function schedule(userId: string, cells: readonly RollupCell[]): void {
    const joined = waiting.get(userId);
    if (joined !== undefined) {
      joined.push(...cells);
      return;
    }
    const batch = [...cells];
    waiting.set(userId, batch);
    const run = (queues.get(userId) ?? Promise.resolve())
      .then(() => {
        waiting.delete(userId);
        return evaluate(userId, batch);
      })
      .catch((error: unknown) => deps.warn('alert evaluation failed', error));
    queues.set(userId, run);
    running.add(run);
    void run.then(() => {
      running.delete(run);
      if (queues.get(userId) === run) queues.delete(userId);
    });
  }

  async function categoryProblem(userId: string, target: AlertTarget): Promise<string | null> {
    if (target.kind !== 'category') return null;
    return categorySubtree(await links(userId), target.categoryId).length > 0
      ? null
      : `target.categoryId: no category has id ${JSON.stringify(target.categoryId)}`;
  }

  /** The input as a checked, normalised alert. */
  async function checked(userId: string, id: string, input: AlertInput): Promise<Alert> {
    const spec = { ...input, enabled: input.enabled ?? true } as unknown as AlertSpec;
    const problem = validateAlert(spec) ?? (await categoryProblem(userId, spec.target));
    if (problem !== null) throw invalidInput(problem);
    return { id, ...normaliseAlert(spec) };
  }

  const change = <T>(userId: string, work: (writer: AlertWriter) => Promise<T>): Promise<T> =>
    repo.change(userId, deps.now(), work).finally(() => {
      epoch += 1;
      cache.delete(userId);
    });

  return {
    async list(userId) {
      const rows = await repo.list(userId);
      if (rows.length === 0) return [];
      const key = await deps.keyring.dataKey(userId);
      return rows.map((row) => toAlert(key, row));
    },

    async get(userId, id) {
      const row = await repo.byId(userId, id);
      if (row === null) throw notFound('No such alert');
      return toAlert(await deps.keyring.dataKey(userId), row);
    },

    async create(userId, input) {
      const alert = await checked(userId, uuidv7(deps.now(), randomBytes(10)), input);
      const fields = toFields(await deps.keyring.dataKey(userId), alert);
      await change(userId, async (writer) => {
        if ((await writer.count()) >= ALERT_LIMITS.maxAlerts) {
          throw new AppError('conflict', `At most ${ALERT_LIMITS.maxAlerts} alerts: delete one first`);
        }
        await writer.insert(fields);
      });
      return alert;
    },

    async update(userId, id, input) {
      const alert = await checked(userId, id, input);
      const fields = toFields(await deps.keyring.dataKey(userId), alert);
      await change(userId, async (writer) => {
        if ((await writer.update(fields)) === null) throw notFound('No such alert');
      });
      return alert;
    },

    async delete(userId, id) {
      await change(userId, async (writer) => {
        if (!(await writer.delete(id))) throw notFound('No such alert');
      });
    },

    async firings(userId, since) {
      const rows = await repo.firings(userId, since, FIRINGS_LIMIT);
      if (rows.length === 0) return [];
      const key = await deps.keyring.dataKey(userId);
      return rows.map((row) => ({
        alertId: row.alertId,
        name: decryptField(key, NAME, row.nameCiphertext),
        day: row.day,
        firedAt: row.firedAt,
        seconds: Math.floor(row.observedMs / 1000),
      }));
    },

    observe(userId, delta) {
      // Runs inside the writer after its commit: nothing may be thrown back at ingest.
      try {
        const cached = cache.get(userId);
        if (cached && cached.watched.length === 0 && isFresh(cached, deps.now())) return;
        // Only added time can cross a threshold.
        const added = delta.filter((cell) => cell.ms > 0);
        if (added.length > 0) schedule(userId, added);
      } catch (error) {
        deps.warn('alert evaluation failed', error);
      }
    },

    subscribe(userId, listener) {
      const mine = listeners.get(userId) ?? new Set<FiringListener>();
      if (mine.size >= maxStreams) {
        throw new AppError('rate_limited', `At most ${maxStreams} open alert streams: close one first`);
      }
      mine.add(listener);
      listeners.set(userId, mine);
      return () => {
        mine.delete(listener);
        if (mine.size === 0 && listeners.get(userId) === mine) listeners.delete(userId);
      };
    },

    async idle() {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}
