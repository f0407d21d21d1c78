import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isUuid, uuidv7, uuidv7Time } from '../src/ids.js';

const zeros = new Uint8Array(10);
const ones = new Uint8Array(10).fill(0xff);

describe('uuidv7', () => {
  it('encodes the time, version and variant', () => {
    const id = uuidv7(0x0190_1234_5678, zeros);
    expect(id).toBe('01901234-5678-7000-8000-000000000000');
    expect(uuidv7(0x0190_1234_5678, ones)).toBe('01901234-5678-7fff-bfff-ffffffffffff');
  });

  it('round-trips the time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (ms, rnd) => {
          const id = uuidv7(ms, rnd);
          expect(isUuid(id)).toBe(true);
          expect(uuidv7Time(id)).toBe(ms);
        },
      ),
    );
  });

  it('sorts by time as a string', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 2 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        (ms, step, a, b) => {
          const later = Math.min(ms + step, 2 ** 48 - 1);
          expect(uuidv7(ms, a) < uuidv7(later, b)).toBe(true);
        },
      ),
    );
  });

  it('rejects bad input', () => {
    expect(() => uuidv7(-1, zeros)).toThrow(RangeError);
    expect(() => uuidv7(1.5, zeros)).toThrow(RangeError);
    expect(() => uuidv7(2 ** 48, zeros)).toThrow(RangeError);
    expect(() => uuidv7(1, new Uint8Array(9))).toThrow(RangeError);
  });

  it('reads no time from non-v7 or malformed ids', () => {
    expect(uuidv7Time('6f1c6d7e-4b1a-4c2d-9e8f-0a1b2c3d4e5f')).toBeNull();
    expect(uuidv7Time('not-a-uuid')).toBeNull();
    expect(isUuid('01901234-5678-7000-8000-00000000000')).toBe(false);
  });
});
