/**
 * What a builtin function sees of the evaluation, and typed readers for its
 * arguments.
 *
 * Builtins never throw anything but QueryError for a user mistake: every
 * argument is read through these readers, which name the function, the
 * argument and the type found, and point at the argument in the source.
 */

import type { QueryBudget } from './budget.js';
import type { QueryError } from './errors.js';
import type { QueryBucketInfo, QuerySource } from './evaluate.js';
import { type QueryDict, type QueryEvent, type QueryValue, describeValue, isDict, isEventList } from './values.js';

export interface CallContext {
  readonly name: string;
  /** Source offset of the call. */
  readonly offset: number;
  readonly args: readonly QueryValue[];
  /** The query's period, [start, end) in epoch ms. */
  readonly period: { readonly start: number; readonly end: number };
  readonly data: QuerySource;
  readonly budget: QueryBudget;
  /** The person's buckets, fetched at most once per evaluation. */
  buckets(): Promise<readonly QueryBucketInfo[]>;
  /** A QueryError prefixed with the function name, at the argument (0-based) or else at the call. */
  fail(message: string, argIndex?: number): QueryError;
  /** Pays for work at the call's offset. */
  charge(units: number): void;
}

export interface Builtin {
  /** Shown in argument-count errors, e.g. "find_bucket(prefix[, hostname])". */
  readonly signature: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly run: (ctx: CallContext) => QueryValue | Promise<QueryValue>;
}

function arg(ctx: CallContext, index: number): QueryValue {
  const value = ctx.args[index];
  if (value === undefined) throw ctx.fail(`argument ${String(index + 1)} is missing`);
  return value;
}

function wrongType(ctx: CallContext, index: number, expected: string, value: QueryValue): QueryError {
  return ctx.fail(`argument ${String(index + 1)} must be ${expected}, got ${describeValue(value)}`, index);
}

export function eventsArg(ctx: CallContext, index: number): readonly QueryEvent[] {
  const value = arg(ctx, index);
  if (!isEventList(value)) throw wrongType(ctx, index, 'a list of events', value);
  return value;
}

export function stringArg(ctx: CallContext, index: number): string {
  const value = arg(ctx, index);
  if (typeof value !== 'string') throw wrongType(ctx, index, 'a string', value);
  return value;
}

export function numberArg(ctx: CallContext, index: number): number {
  const value = arg(ctx, index);
  if (typeof value !== 'number') throw wrongType(ctx, index, 'a number', value);
  return value;
}

/** A plain list (not events); an empty list passes. */
export function listArg(ctx: CallContext, index: number): readonly QueryValue[] {
  return expectList(ctx, index, arg(ctx, index), `argument ${String(index + 1)}`);
}

export function stringListArg(ctx: CallContext, index: number): string[] {
  const list = listArg(ctx, index);
  return list.map((item, i) => {
    if (typeof item !== 'string') {
      throw ctx.fail(
        `argument ${String(index + 1)} must be a list of strings, item ${String(i + 1)} is ${describeValue(item)}`,
        index,
      );
    }
    return item;
  });
}

/** A dict nested inside an argument; `what` names it in the error. */
export function expectDict(ctx: CallContext, index: number, value: QueryValue, what: string): QueryDict {
  if (!isDict(value)) throw ctx.fail(`${what} must be a dict, got ${describeValue(value)}`, index);
  return value;
}

/** A list nested inside an argument; `what` names it in the error. */
export function expectList(ctx: CallContext, index: number, value: QueryValue, what: string): readonly QueryValue[] {
  if (!Array.isArray(value) || (value.length > 0 && isEventList(value))) {
    throw ctx.fail(`${what} must be a list, got ${describeValue(value)}`, index);
  }
  return value as readonly QueryValue[];
}

/** Work units for sorting n items. */
export function sortCost(n: number): number {
  return n * Math.max(1, Math.ceil(Math.log2(n + 1)));
}
