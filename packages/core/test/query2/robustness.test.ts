import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QueryError } from '../../src/query2/errors.js';
import { BUILTINS } from '../../src/query2/functions.js';
import { ev, fakeSource, limits, run } from './support.js';

const SOURCE = fakeSource({
  w: {
    events: [ev(0, 10, { app: 'a', title: 'x', url: 'https://a.org/' }, 1), ev(12, 5, { app: 'b', title: 'y' }, 2)],
  },
  f: { events: [ev(3, 20, { status: 'not-afk' }, 3)] },
});

const NAMES = [...BUILTINS.keys()];

/** Source text of random, mostly ill-typed expressions over the builtins. */
const expression = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('"w"', '"f"', '"app"', '"(a+)+"', '"a|b"', '1', '-1', '2.5', 'true', 'events', 'TIMEINTERVAL', 'x'),
    fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc
      .array(fc.tuple(fc.constantFrom('type', 'regex', 'ignore_case', 'k'), tie('expr')), { maxLength: 3 })
      .map((entries) => `{${entries.map(([k, v]) => `"${k}": ${v}`).join(', ')}}`),
    fc
      .tuple(fc.constantFrom(...NAMES), fc.array(tie('expr'), { maxLength: 3 }))
      .map(([name, args]) => `${name}(${args.join(', ')})`),
  ),
}));

describe('evaluateQuery on arbitrary programs', () => {
  it('returns a value or throws a QueryError, nothing else', async () => {
    const outcomes = { values: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(expression.expr, { minLength: 1, maxLength: 4 }), async (exprs) => {
        const last = exprs.length - 1;
        const lines = ['events = query_bucket("w");', ...exprs.map((e, i) => `${i === last ? 'RETURN' : 'x'} = ${e};`)];
        try {
          await run(lines, SOURCE, limits({ maxSteps: 100_000, maxEvents: 1000 }));
          outcomes.values += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(QueryError);
          outcomes.errors += 1;
        }
      }),
      { numRuns: 1500 },
    );
    // Both paths must be exercised for the property to mean anything.
    expect(outcomes.values).toBeGreaterThan(100);
    expect(outcomes.errors).toBeGreaterThan(100);
  });
});
