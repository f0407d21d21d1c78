/**
 * query2 builtins over event lists: filtering, period arithmetic, merging,
 * sorting, summing and splitting URLs.
 *
 * Semantics follow aw-server-rust's aw-transform; where Sundial differs it
 * says so below. Durations are milliseconds inside; seconds appear only at
 * the boundary (sum_durations' result, flood's pulsetime argument), as in
 * ActivityWatch's wire format.
 */

import { sortByStart } from '../event.js';
import { flood } from '../flood.js';
import { jsonEqual } from '../json-equal.js';
import { intersectPeriods, unionNoOverlap, unionPeriods } from '../periods.js';
import { splitUrl } from '../url.js';
import {
  type Builtin,
  type CallContext,
  eventsArg,
  listArg,
  numberArg,
  sortCost,
  stringArg,
  stringListArg,
} from './call.js';
import {
  type QueryEvent,
  type QueryValue,
  brandEvents,
  dataValue,
  isEventList,
  makeData,
  makeEvent,
} from './values.js';

/** Events whose data[key] equals (JSON structurally) one of the values. */
function keepByValues(ctx: CallContext, keep: boolean): QueryValue {
  const events = eventsArg(ctx, 0);
  const key = stringArg(ctx, 1);
  const values = listArg(ctx, 2);
  ctx.charge(events.length * Math.max(1, values.length));
  return events.filter((e) => {
    const value = dataValue(e.data, key);
    const matches = value !== undefined && values.some((v) => jsonEqual(v, value));
    return matches === keep;
  });
}

/** Deterministic text for a JSON value, with object keys sorted, for grouping. */
function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
}

/**
 * merge_events_by_keys: one event per distinct combination of the keys'
 * values, in order of first appearance, with the summed duration, the
 * earliest start, and data holding only those keys (as aw-server-python;
 * aw-server-rust keeps the first event's whole data). Events missing a key
 * are dropped and an empty key list gives no events (as aw-server-rust).
 */
function mergeByKeys(events: readonly QueryEvent[], keys: readonly string[]): QueryEvent[] {
  if (keys.length === 0) return [];
  const groups = new Map<string, { start: number; duration: number; data: Record<string, unknown> }>();
  for (const e of events) {
    const values = keys.map((key) => dataValue(e.data, key));
    if (values.some((v) => v === undefined)) continue;
    const id = values.map(canonicalJson).join('\u0000');
    const group = groups.get(id);
    if (group === undefined) {
      const data = makeData(keys.map((key, i) => [key, values[i]]));
      groups.set(id, { start: e.start, duration: e.duration, data });
    } else {
      group.start = Math.min(group.start, e.start);
      group.duration += e.duration;
    }
  }
  return [...groups.values()].map(makeEvent);
}

/**
 * chunk_events_by_key: consecutive events (in list order) with equal data[key]
 * become one event with the summed duration, the earliest start and data
 * `{key: value}`. Events without the key are skipped and do not break a run,
 * as in aw-transform.
 */
function chunkByKey(events: readonly QueryEvent[], key: string): QueryEvent[] {
  const chunks: { start: number; duration: number; value: unknown }[] = [];
  for (const e of events) {
    const value = dataValue(e.data, key);
    if (value === undefined) continue;
    const last = chunks.at(-1);
    if (last !== undefined && jsonEqual(last.value, value)) {
      last.start = Math.min(last.start, e.start);
      last.duration += e.duration;
    } else {
      chunks.push({ start: e.start, duration: e.duration, value });
    }
  }
  return chunks.map(({ start, duration, value }) => makeEvent({ start, duration, data: makeData([[key, value]]) }));
}

/**
 * split_url_events: an event whose data.url is a string that parses gets its
 * parts as `$protocol`, `$domain`, `$path`, `$params` (the query) and
 * `$options` (the fragment); see core's splitUrl for how these follow
 * aw-server-rust. Other events are returned unchanged.
 */
function splitUrlEvent(e: QueryEvent): QueryEvent {
  const url = dataValue(e.data, 'url');
  const parts = typeof url === 'string' ? splitUrl(url) : null;
  if (parts === null) return e;
  const { protocol, domain, path, params, options } = parts;
  return makeEvent({
    ...e,
    data: { ...e.data, $protocol: protocol, $domain: domain, $path: path, $params: params, $options: options },
  });
}

function concatLists(ctx: CallContext): QueryValue {
  const lists = ctx.args.map((_, i) => (isEventList(ctx.args[i]) ? eventsArg(ctx, i) : listArg(ctx, i)));
  const nonEmpty = lists.filter((list) => list.length > 0);
  const kinds = new Set(nonEmpty.map((list) => isEventList(list)));
  if (kinds.size > 1) throw ctx.fail('cannot concatenate lists of events with other lists');
  ctx.charge(nonEmpty.reduce((n, list) => n + list.length, 0));
  const out: unknown[] = [];
  for (const list of nonEmpty) for (const item of list) out.push(item);
  return out as QueryValue;
}

export const EVENT_FUNCTIONS: Readonly<Record<string, Builtin>> = {
  filter_keyvals: {
    signature: 'filter_keyvals(events, key, values)',
    minArgs: 3,
    maxArgs: 3,
    run: (ctx) => keepByValues(ctx, true),
  },
  exclude_keyvals: {
    signature: 'exclude_keyvals(events, key, values)',
    minArgs: 3,
    maxArgs: 3,
    run: (ctx) => keepByValues(ctx, false),
  },
  filter_period_intersect: {
    signature: 'filter_period_intersect(events, filter_events)',
    minArgs: 2,
    maxArgs: 2,
    run: (ctx) => {
      const [events, periods] = [eventsArg(ctx, 0), eventsArg(ctx, 1)];
      ctx.charge(sortCost(events.length) + sortCost(periods.length));
      return brandEvents(intersectPeriods(events, periods));
    },
  },
  period_union: {
    signature: 'period_union(events1, events2)',
    minArgs: 2,
    maxArgs: 2,
    run: (ctx) => {
      const [a, b] = [eventsArg(ctx, 0), eventsArg(ctx, 1)];
      ctx.charge(sortCost(a.length + b.length));
      return unionPeriods(a, b).map(({ start, duration }) => makeEvent({ start, duration, data: {} }));
    },
  },
  union_no_overlap: {
    signature: 'union_no_overlap(events1, events2)',
    minArgs: 2,
    maxArgs: 2,
    run: (ctx) => {
      const [a, b] = [eventsArg(ctx, 0), eventsArg(ctx, 1)];
      // core's unionNoOverlap scans a's merged ranges from the start for each event of b: quadratic
      // in the worst case, though each step is a cheap comparison, hence the divisor.
      ctx.charge(sortCost(a.length + b.length) + Math.ceil((a.length * b.length) / 4));
      return brandEvents(unionNoOverlap(a, b));
    },
  },
  concat: { signature: 'concat(list, …)', minArgs: 0, maxArgs: Infinity, run: concatLists },
  merge_events_by_keys: {
    signature: 'merge_events_by_keys(events, keys)',
    minArgs: 2,
    maxArgs: 2,
    run: (ctx) => {
      const [events, keys] = [eventsArg(ctx, 0), stringListArg(ctx, 1)];
      ctx.charge(events.length * Math.max(1, keys.length));
      return mergeByKeys(events, keys);
    },
  },
  chunk_events_by_key: {
    signature: 'chunk_events_by_key(events, key)',
    minArgs: 2,
    maxArgs: 2,
    run: (ctx) => chunkByKey(eventsArg(ctx, 0), stringArg(ctx, 1)),
  },
  sort_by_duration: {
    signature: 'sort_by_duration(events)',
    minArgs: 1,
    maxArgs: 1,
    run: (ctx) => {
      const events = eventsArg(ctx, 0);
      ctx.charge(sortCost(events.length));
      // Array.prototype.sort is stable, so equal durations keep their order (as Rust's sort_by).
      return [...events].sort((a, b) => b.duration - a.duration);
    },
  },
  sort_by_timestamp: {
    signature: 'sort_by_timestamp(events)',
    minArgs: 1,
    maxArgs: 1,
    run: (ctx) => {
      const events = eventsArg(ctx, 0);
      ctx.charge(sortCost(events.length));
      return sortByStart(events);
    },
  },
  limit_events: {
    signature: 'limit_events(events, count)',
    minArgs: 2,
    maxArgs: 2,
    run: (ctx) => {
      const [events, count] = [eventsArg(ctx, 0), numberArg(ctx, 1)];
      if (!Number.isInteger(count) || count < 0) throw ctx.fail('argument 2 must be an integer ≥ 0', 1);
      return events.slice(0, count);
    },
  },
  sum_durations: {
    signature: 'sum_durations(events)',
    minArgs: 1,
    maxArgs: 1,
    // Seconds as a float, like ActivityWatch (durations are whole milliseconds, so this is exact to the ms).
    run: (ctx) => eventsArg(ctx, 0).reduce((total, e) => total + e.duration, 0) / 1000,
  },
  split_url_events: {
    signature: 'split_url_events(events)',
    minArgs: 1,
    maxArgs: 1,
    run: (ctx) => eventsArg(ctx, 0).map(splitUrlEvent),
  },
  flood: {
    signature: 'flood(events[, pulsetime_seconds])',
    minArgs: 1,
    maxArgs: 2,
    run: (ctx) => {
      const events = eventsArg(ctx, 0);
      const seconds = ctx.args.length > 1 ? numberArg(ctx, 1) : 5;
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400 * 365) {
        throw ctx.fail('pulsetime must be a number of seconds between 0 and one year', 1);
      }
      ctx.charge(sortCost(events.length));
      return brandEvents(flood(events, Math.round(seconds * 1000)));
    },
  },
};
