/**
 * Hostile categorisation input: a regex that backtracks catastrophically is
 * refused when saved (as is syntax the linear-time engine lacks), and the
 * heaviest regexes that are allowed, over 2 000-character titles, do not
 * slow ingest down (a bound of seconds, never milliseconds: this is about
 * polynomial or exponential blow-up, not speed).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { expectRollupsConsistent, ingest, MINUTE, setup, T0, windowEvent, type Ctx } from '../activity/support.js';
import { createRule, expectInvalid, write } from './support.js';

eachDatabase('hostile categorisation input', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  it('refuses regexes with nested quantifiers or backreferences at save time', async () => {
    for (const pattern of ['(a+)+$', '(a|aa)*b', '(.*a){12}', '(x+x+)+y', '(a)\\1', '(?=a)b', '(?<!x)y']) {
      const res = await write(c.t, c.me.cookie, 'POST', '/api/v1/rules', {
        field: 'title',
        match: 'regex',
        pattern,
        categoryId: null,
        level: 1,
      });
      expectInvalid(res, 'pattern');
    }
  });

  it('categorises 300 events with 2 000-character titles against heavy rules in seconds', async () => {
    // Accepted by every static screen, yet polynomial (degree 5) for a backtracking engine on "aaaa…".
    for (const pattern of ['a*a*a*a*a*b', 'a.*b.*c.*d.*e', '\\w+\\s+\\w+\\s+\\w+\\s+zzz']) {
      await createRule(c.t, c.me.cookie, { field: 'title', match: 'regex', pattern, level: 2 });
    }
    await createRule(c.t, c.me.cookie, { field: 'title', match: 'glob', pattern: '*a*b*c*d*e*f*g*', level: -1 });
    const hostileTitles = ['a'.repeat(2000), 'ab '.repeat(666) + 'x', `${'word '.repeat(399)}endx`];
    const events = Array.from({ length: 300 }, (_, i) =>
      windowEvent(T0 - 6 * 60 * MINUTE + i * MINUTE, 50_000, 'Editor', `${hostileTitles[i % 3]}${i}`.slice(-2000)),
    );
    const started = performance.now();
    await ingest(c.t, c.token, events);
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    // And they were categorised (none matched: level 0 everywhere), consistently with a recomputation.
    const cells = await expectRollupsConsistent(c.t, c.me.id);
    const levels = cells.filter((cell) => cell.dimension === 'level');
    expect(levels.reduce((sum, cell) => sum + cell.ms, 0)).toBe(300 * 50_000);
  });
});
