import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BoundedCache } from '../src/bounded-cache.js';

describe('BoundedCache', () => {
  it('forgets the least recently used entry first', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('never holds more than its limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 50 })), (limit, keys) => {
        const cache = new BoundedCache<number, number>(limit);
        for (const key of keys) cache.set(key, key);
        expect(cache.size).toBeLessThanOrEqual(limit);
        const last = keys.at(-1);
        if (last !== undefined) expect(cache.get(last)).toBe(last);
      }),
    );
  });

  it('deletes by predicate', () => {
    const cache = new BoundedCache<string, number>(10);
    cache.set('alice:1', 1);
    cache.set('alice:2', 2);
    cache.set('bob:1', 3);
    cache.deleteWhere((key) => key.startsWith('alice:'));
    expect(cache.size).toBe(1);
    expect(cache.get('bob:1')).toBe(3);
  });

  it('refuses a bad limit', () => {
    expect(() => new BoundedCache(0)).toThrow(RangeError);
  });
});
