import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_REGEX_LENGTH, checkRegexSafety } from '../src/regex-safety.js';

const NESTED = 'regex may take exponential time (nested quantifiers)';
const BACKREFERENCE = 'regex may take exponential time (backreference)';
const OVERLAP = 'regex may take exponential time (overlapping alternatives)';

describe('checkRegexSafety', () => {
  it.each([
    '',
    'Code|vim|Terminal',
    '^https://(www\\.)?github\\.com/',
    '\\.(ts|js)x?$',
    '(a+)?',
    '(?:ab)+c*',
    '(a|b)*',
    '(\\w|-)+',
    '[(a+)+]',
    '\\(a+\\)+',
    'a{2}(b{1})+',
    '(x?)+',
    '(a+){1}',
    '(?:foo|bar)+',
    '\\d+\\d+x',
    '(?<name>ab)+',
    '(?=a+)',
    '(a',
    'a)+',
  ])('accepts %j', (pattern) => {
    expect(checkRegexSafety(pattern)).toBe(null);
  });

  it.each([
    ['(a+)+', NESTED],
    ['(a*)*', NESTED],
    ['(?:\\w*\\.)*example', NESTED],
    ['((a+)b){2,}', NESTED],
    ['(a{2,3}){2}', NESTED],
    ['((a)+)+', NESTED],
    ['(.*)*?x', NESTED],
    ['(\\1)', BACKREFERENCE],
    ['(a)\\1+', BACKREFERENCE],
    ['(?<x>a)\\k<x>', BACKREFERENCE],
    ['(a|a)*', OVERLAP],
    ['(ab|ab)+', OVERLAP],
    ['(\\w|\\d)+$', OVERLAP],
    ['(a|.)*', OVERLAP],
    ['([a-c]|b){3,}', OVERLAP],
    ['((a|a)b)*', OVERLAP],
    ['(a|ab)*', OVERLAP],
    ['(a|aa)*b', OVERLAP],
    ['(x|xy)+', OVERLAP],
    ['(A|ab)+', OVERLAP],
    ['(?:a?b|b)*', OVERLAP],
    ['(|a)+', OVERLAP],
  ])('rejects %j', (pattern, reason) => {
    expect(checkRegexSafety(pattern)).toBe(reason);
  });

  it('rejects patterns longer than the limit', () => {
    expect(checkRegexSafety('a'.repeat(MAX_REGEX_LENGTH))).toBe(null);
    expect(checkRegexSafety('a'.repeat(MAX_REGEX_LENGTH + 1))).toBe('regex is longer than 1000 characters');
  });

  it('never throws and always answers a string or null', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '(',
            ')',
            '[',
            ']',
            '|',
            '*',
            '+',
            '?',
            '{',
            '}',
            ',',
            '1',
            '2',
            '\\',
            'a',
            '.',
            'k',
            '<',
            '>',
          ),
        }),
        (pattern) => {
          const reason = checkRegexSafety(pattern);
          expect(reason === null || typeof reason === 'string').toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
