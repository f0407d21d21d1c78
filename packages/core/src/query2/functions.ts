/**
 * The table of query2 builtins, and the ones that read the person's data:
 * find_bucket, query_bucket, query_bucket_names (plus nop).
 *
 * Function names live in their own namespace: a variable called `flood` does
 * not hide the function. The table is a Map so that names such as
 * `constructor` are unknown functions rather than Object.prototype members.
 */

import { type Builtin, type CallContext, stringArg } from './call.js';
import { CLASSIFY_FUNCTIONS } from './functions-classify.js';
import { EVENT_FUNCTIONS } from './functions-events.js';
import { type QueryValue, makeEvent } from './values.js';

/**
 * find_bucket: the bucket whose id equals the filter, else the first (in the
 * source's order) whose id starts with it; with a hostname, only buckets of
 * that host count (aw-transform's find_bucket).
 */
async function findBucket(ctx: CallContext): Promise<QueryValue> {
  const prefix = stringArg(ctx, 0);
  const hostname = ctx.args.length > 1 ? stringArg(ctx, 1) : null;
  const buckets = await ctx.buckets();
  ctx.charge(buckets.length);
  const candidates = buckets.filter((b) => b.id.startsWith(prefix) && (hostname === null || b.hostname === hostname));
  const found = candidates.find((b) => b.id === prefix) ?? candidates[0];
  if (found === undefined) {
    const host = hostname === null ? '' : ` on host ${JSON.stringify(hostname)}`;
    throw ctx.fail(`no bucket id starts with ${JSON.stringify(prefix)}${host}`);
  }
  return found.id;
}

/**
 * query_bucket: the bucket's events overlapping the period, clipped to it,
 * newest first. The source is asked for one event more than the event budget
 * has room for, so an over-budget bucket is an error rather than a silently
 * truncated answer.
 */
async function queryBucket(ctx: CallContext): Promise<QueryValue> {
  const bucketId = stringArg(ctx, 0);
  const room = ctx.budget.remainingEvents();
  const events = await ctx.data.events(bucketId, ctx.period.start, ctx.period.end, room + 1);
  ctx.budget.checkClock(ctx.offset);
  if (events === null) throw ctx.fail(`no bucket with id ${JSON.stringify(bucketId)}`, 0);
  ctx.budget.requireRoom(events.length, ctx.offset);
  ctx.charge(events.length);
  return events.map(makeEvent);
}

const DATA_FUNCTIONS: Readonly<Record<string, Builtin>> = {
  find_bucket: { signature: 'find_bucket(prefix[, hostname])', minArgs: 1, maxArgs: 2, run: findBucket },
  query_bucket: { signature: 'query_bucket(bucket_id)', minArgs: 1, maxArgs: 1, run: queryBucket },
  query_bucket_names: {
    signature: 'query_bucket_names()',
    minArgs: 0,
    maxArgs: 0,
    run: async (ctx) => {
      const buckets = await ctx.buckets();
      ctx.charge(buckets.length);
      return buckets.map((b) => b.id);
    },
  },
  nop: { signature: 'nop()', minArgs: 0, maxArgs: 0, run: () => null },
};

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  Object.entries({ ...DATA_FUNCTIONS, ...EVENT_FUNCTIONS, ...CLASSIFY_FUNCTIONS }),
);
