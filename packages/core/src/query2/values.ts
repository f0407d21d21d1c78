/**
 * Runtime values of query2 programs.
 *
 * A value is JSON-like (null, booleans, numbers, strings, lists, dicts) plus
 * events. Events never stand alone: no expression yields a bare event and a
 * list literal cannot contain one, so every list is either all events (an
 * "event list") or has none. Event lists are plain arrays of QueryEvent; an
 * empty list is both an empty event list and an empty plain list.
 *
 * Events are told apart from dicts by a brand, not by their shape: every
 * event object the evaluator creates is registered in a WeakSet, so a dict
 * literal such as `{"start": 1, "duration": 2, "data": {}}` stays a dict.
 * Callers that serialise a result use isQueryEvent / isEventList on it.
 *
 * Values are immutable once built and shared freely between variables, so
 * builtins always build new lists, events and data objects instead of
 * modifying their inputs. Dicts have a null prototype, so user keys such as
 * `__proto__` or `constructor` are ordinary keys.
 */

export interface QueryEvent {
  readonly id?: number;
  /** UTC epoch milliseconds. */
  readonly start: number;
  /** Milliseconds. */
  readonly duration: number;
  readonly data: Record<string, unknown>;
}

export type QueryValue = null | boolean | number | string | QueryEvent[] | QueryValue[] | { [key: string]: QueryValue };

export type QueryDict = { [key: string]: QueryValue };

const EVENTS = new WeakSet<object>();

/** A new branded event; `id` is kept only when it is a number. */
export function makeEvent(e: {
  readonly id?: number | undefined;
  readonly start: number;
  readonly duration: number;
  readonly data: Record<string, unknown>;
}): QueryEvent {
  const event: QueryEvent =
    typeof e.id === 'number'
      ? { id: e.id, start: e.start, duration: e.duration, data: e.data }
      : { start: e.start, duration: e.duration, data: e.data };
  EVENTS.add(event);
  return event;
}

/**
 * Brands objects that a transform has just created (core's period functions
 * and flood return fresh objects), avoiding a second copy.
 */
export function brandEvents<E extends QueryEvent>(events: E[]): QueryEvent[] {
  for (const e of events) EVENTS.add(e);
  return events;
}

/** Whether the value is an event created by the evaluator. */
export function isQueryEvent(value: unknown): value is QueryEvent {
  return typeof value === 'object' && value !== null && EVENTS.has(value);
}

/** Whether the value is a list of events (lists are homogeneous, so the first item decides). */
export function isEventList(value: unknown): value is QueryEvent[] {
  return Array.isArray(value) && (value.length === 0 || isQueryEvent(value[0]));
}

/** A dict (null prototype) from entries; a later duplicate key wins. */
export function makeDict(entries: Iterable<readonly [string, QueryValue]>): QueryDict {
  const dict = Object.create(null) as QueryDict;
  for (const [key, value] of entries) dict[key] = value;
  return dict;
}

export function isDict(value: QueryValue): value is QueryDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A new event data object from entries. Properties are defined rather than
 * assigned so a user key such as `__proto__` becomes an own key, as it is in
 * parsed JSON.
 */
export function makeData(entries: Iterable<readonly [string, unknown]>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(data, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return data;
}

/** The own value of `data[key]`; undefined when absent (inherited properties do not count). */
export function dataValue(data: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

/** A short type description for error messages: "a string", "a list of events", … */
export function describeValue(value: QueryValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty list';
    return isEventList(value) ? 'a list of events' : 'a list';
  }
  switch (typeof value) {
    case 'boolean':
      return 'a boolean';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'object':
      return 'a dict';
  }
}

/**
 * The logical size of a value, with shared sub-values counted each time they
 * appear (as they would be when the result is serialised): `events` counts
 * events, `nodes` everything else, `depth` the nesting of lists and dicts.
 */
export interface ValueShape {
  readonly events: number;
  readonly nodes: number;
  readonly depth: number;
}

const SCALAR: ValueShape = { events: 0, nodes: 1, depth: 0 };
const SHAPES = new WeakMap<object, ValueShape>();

/** The shape of a value, memoised per list or dict (values are immutable). */
export function shapeOf(value: QueryValue): ValueShape {
  if (typeof value !== 'object' || value === null) return SCALAR;
  const known = SHAPES.get(value);
  if (known !== undefined) return known;
  let shape: ValueShape;
  if (isEventList(value)) {
    shape = { events: value.length, nodes: 1, depth: 1 };
  } else {
    let events = 0;
    let nodes = 1;
    let depth = 0;
    for (const item of Array.isArray(value) ? value : Object.values(value)) {
      const inner = shapeOf(item);
      events += inner.events;
      nodes += inner.nodes;
      depth = Math.max(depth, inner.depth);
    }
    shape = { events, nodes, depth: depth + 1 };
  }
  SHAPES.set(value, shape);
  return shape;
}
