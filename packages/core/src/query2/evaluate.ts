/**
 * The query2 evaluator: runs a parsed program against a person's data.
 *
 * Statements run in order; each binds a variable, and the value of RETURN
 * at the end is the answer. TIMEINTERVAL ("start/end"), STARTTIME and
 * ENDTIME are predefined as ISO 8601 strings; programs may reassign them,
 * but query_bucket always reads the period given here, which the caller has
 * authorised. Data is read through QuerySource, the only asynchronous part,
 * and every run is bounded by QueryLimits (see budget.ts). Every failure a
 * program can cause is a QueryError pointing into its source.
 */

import { formatIsoTimestamp } from '../time.js';
import type { Call, Expression, Program } from './ast.js';
import { QueryBudget } from './budget.js';
import type { CallContext } from './call.js';
import { QueryError } from './errors.js';
import { BUILTINS } from './functions.js';
import { MAX_DEPTH, parseQuery } from './parser.js';
import { type QueryEvent, type QueryValue, makeDict, shapeOf } from './values.js';

export interface QueryBucketInfo {
  readonly id: string;
  readonly type: string;
  readonly hostname: string;
  readonly client: string;
}

export interface QuerySource {
  /** The person's buckets (ids and metadata). */
  buckets(): Promise<readonly QueryBucketInfo[]>;
  /** Events of one bucket overlapping [start, end), clipped to it, newest first, at most `limit`. Unknown bucket → return null. */
  events(bucketId: string, start: number, end: number, limit: number): Promise<QueryEvent[] | null>;
}

export interface QueryLimits {
  /** Total events alive across all values (memory bound). */
  readonly maxEvents: number;
  /** Abstract work units; each call costs at least the size of its arguments. */
  readonly maxSteps: number;
  /** Absolute epoch ms deadline, checked against `now()`. */
  readonly deadlineMs: number;
  readonly now: () => number;
}

export const DEFAULT_QUERY_LIMITS: Omit<QueryLimits, 'deadlineMs' | 'now'> = {
  maxEvents: 1_000_000,
  maxSteps: 50_000_000,
};

export interface QueryPeriod {
  readonly start: number;
  readonly end: number;
}

/** Most list and dict nesting a value may reach (also through variables). */
export const MAX_VALUE_DEPTH = MAX_DEPTH;
/** Most lists, dicts and scalars a value may hold, counting shared parts each time. */
export const MAX_VALUE_NODES = 100_000;

/** Evaluates a parsed program; `source` is its text, for error positions. */
export async function evaluateQuery(
  program: Program,
  source: string,
  period: QueryPeriod,
  data: QuerySource,
  limits: QueryLimits,
): Promise<QueryValue> {
  if (!Number.isSafeInteger(period.start) || !Number.isSafeInteger(period.end) || period.end < period.start) {
    throw QueryError.at(source, 0, 'the time period must have integer bounds with start ≤ end');
  }
  return new Evaluation(source, period, data, limits).run(program);
}

/** Parses (parseQuery) and evaluates a program given as text or as lines. */
export async function runQuery(
  text: string | readonly string[],
  period: QueryPeriod,
  data: QuerySource,
  limits: QueryLimits,
): Promise<QueryValue> {
  const program = parseQuery(text);
  const source = typeof text === 'string' ? text : text.join('\n');
  return evaluateQuery(program, source, period, data, limits);
}

class Evaluation {
  private readonly vars = new Map<string, QueryValue>();
  private readonly budget: QueryBudget;
  private bucketList: ReturnType<QuerySource['buckets']> | undefined;

  constructor(
    private readonly source: string,
    private readonly period: QueryPeriod,
    private readonly data: QuerySource,
    limits: QueryLimits,
  ) {
    this.budget = new QueryBudget(limits, (offset, message) => this.error(offset, message));
    const [start, end] = [formatIsoTimestamp(period.start), formatIsoTimestamp(period.end)];
    this.vars.set('TIMEINTERVAL', `${start}/${end}`);
    this.vars.set('STARTTIME', start);
    this.vars.set('ENDTIME', end);
  }

  async run(program: Program): Promise<QueryValue> {
    for (const statement of program.statements) {
      this.budget.checkClock(statement.offset);
      const value = await this.expression(statement.value, 0);
      this.budget.endStatement(this.vars.get(statement.name), value, statement.offset);
      this.vars.set(statement.name, value);
    }
    const result = this.vars.get('RETURN');
    if (result === undefined) throw this.error(this.source.length, 'the query never assigns RETURN');
    return result;
  }

  private async expression(node: Expression, depth: number): Promise<QueryValue> {
    // The parser caps nesting; this guards programs built by other means.
    if (depth > MAX_DEPTH) throw this.error(node.offset, `nesting deeper than ${String(MAX_DEPTH)} levels`);
    this.budget.charge(1, node.offset);
    switch (node.kind) {
      case 'string':
      case 'integer':
      case 'float':
      case 'boolean':
        return node.value;
      case 'variable': {
        const value = this.vars.get(node.name);
        if (value !== undefined) return value;
        const hint = BUILTINS.has(node.name) ? ` (${node.name} is a function: write ${node.name}(…))` : '';
        throw this.error(node.offset, `unknown variable '${node.name}'${hint}`);
      }
      case 'list': {
        const items: QueryValue[] = [];
        for (const item of node.items) items.push(await this.expression(item, depth + 1));
        return this.built(items, node.offset);
      }
      case 'dict': {
        const entries: [string, QueryValue][] = [];
        for (const entry of node.entries) entries.push([entry.key, await this.expression(entry.value, depth + 1)]);
        return this.built(makeDict(entries), node.offset);
      }
      case 'call':
        return this.call(node, depth);
    }
  }

  /** Checks the size of a list or dict built by a literal and counts its events. */
  private built(value: QueryValue, offset: number): QueryValue {
    const shape = shapeOf(value);
    if (shape.depth > MAX_VALUE_DEPTH) {
      throw this.error(offset, `value nested deeper than ${String(MAX_VALUE_DEPTH)} levels`);
    }
    if (shape.nodes > MAX_VALUE_NODES) throw this.error(offset, `value has more than ${String(MAX_VALUE_NODES)} items`);
    this.budget.addBuilt(value, offset);
    return value;
  }

  private async call(node: Call, depth: number): Promise<QueryValue> {
    const builtin = BUILTINS.get(node.name);
    if (builtin === undefined) throw this.error(node.offset, `unknown function '${node.name}'`);
    const count = node.args.length;
    if (count < builtin.minArgs || count > builtin.maxArgs) {
      const range =
        builtin.minArgs === builtin.maxArgs
          ? String(builtin.minArgs)
          : builtin.maxArgs === Infinity
            ? `at least ${String(builtin.minArgs)}`
            : `${String(builtin.minArgs)} or ${String(builtin.maxArgs)}`;
      throw this.error(
        node.offset,
        `${node.name} takes ${range} argument${builtin.maxArgs === 1 ? '' : 's'}, got ${String(count)}: ${builtin.signature}`,
      );
    }
    const args: QueryValue[] = [];
    for (const arg of node.args) args.push(await this.expression(arg, depth + 1));
    const size = args.reduce<number>((total, arg) => total + shapeOf(arg).events + shapeOf(arg).nodes, 1);
    this.budget.charge(size, node.offset);
    this.budget.checkClock(node.offset);

    const ctx: CallContext = {
      name: node.name,
      offset: node.offset,
      args,
      period: this.period,
      data: this.data,
      budget: this.budget,
      buckets: () => (this.bucketList ??= this.data.buckets()),
      fail: (message, argIndex) => {
        const at = argIndex === undefined ? undefined : node.args[argIndex];
        return this.error(at?.offset ?? node.offset, `${node.name}: ${message}`);
      },
      charge: (units) => this.budget.charge(units, node.offset),
    };
    const result = await builtin.run(ctx);
    this.budget.checkClock(node.offset);
    this.budget.addBuilt(result, node.offset);
    return result;
  }

  private error(offset: number, message: string): QueryError {
    return QueryError.at(this.source, offset, message);
  }
}
