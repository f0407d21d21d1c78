import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { QueryError, parseQuery } from '../../src/query2/parser.js';
import type { Expression } from '../../src/query2/ast.js';

const WEBUI_QUERY = [
  'events = query_bucket(find_bucket("aw-watcher-window_"));',
  'afk = query_bucket(find_bucket("aw-watcher-afk_"));',
  'not_afk = filter_keyvals(afk, "status", ["not-afk"]);',
  'events = filter_period_intersect(events, not_afk);',
  'events = categorize(events, [[["Work"], {"type": "regex", "regex": "Code|vim", "ignore_case": true}]]);',
  'RETURN = {"events": events, "duration": sum_durations(events)};',
];

/** The single value assigned by `RETURN = <text>`. */
function valueOf(text: string): Expression {
  const [first] = parseQuery(`RETURN = ${text}`).statements;
  if (first === undefined) throw new Error('no statement');
  return first.value;
}

/** The QueryError thrown by parsing `source`. */
function errorOf(source: string | readonly string[]): QueryError {
  try {
    parseQuery(source);
  } catch (error) {
    if (error instanceof QueryError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${String(source)}`);
}

describe('parseQuery', () => {
  it('parses the typical aw-webui query, sent as lines', () => {
    const program = parseQuery(WEBUI_QUERY);
    expect(program.statements.map((s) => s.name)).toEqual(['events', 'afk', 'not_afk', 'events', 'events', 'RETURN']);
    expect(program.statements[0]).toEqual({
      kind: 'assign',
      name: 'events',
      offset: 0,
      value: {
        kind: 'call',
        name: 'query_bucket',
        offset: 9,
        args: [
          {
            kind: 'call',
            name: 'find_bucket',
            offset: 22,
            args: [{ kind: 'string', value: 'aw-watcher-window_', offset: 34 }],
          },
        ],
      },
    });
    const categorize = program.statements[4]?.value;
    expect(categorize).toMatchObject({
      kind: 'call',
      name: 'categorize',
      args: [
        { kind: 'variable', name: 'events' },
        {
          kind: 'list',
          items: [
            {
              kind: 'list',
              items: [
                { kind: 'list', items: [{ kind: 'string', value: 'Work' }] },
                {
                  kind: 'dict',
                  entries: [
                    { key: 'type', value: { kind: 'string', value: 'regex' } },
                    { key: 'regex', value: { kind: 'string', value: 'Code|vim' } },
                    { key: 'ignore_case', value: { kind: 'boolean', value: true } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(program.statements[5]?.value).toMatchObject({
      kind: 'dict',
      entries: [
        { key: 'events', value: { kind: 'variable', name: 'events' } },
        { key: 'duration', value: { kind: 'call', name: 'sum_durations' } },
      ],
    });
  });

  it('accepts one string the same as lines, and a missing last semicolon', () => {
    const joined = WEBUI_QUERY.join('\n');
    expect(parseQuery(joined)).toEqual(parseQuery(WEBUI_QUERY));
    expect(parseQuery('RETURN = 1')).toEqual(parseQuery('RETURN = 1;;'));
  });

  it('resolves escapes in single- and double-quoted strings', () => {
    expect(valueOf(String.raw`"a\"b\\c\nd\te\u00e9"`)).toMatchObject({ value: 'a"b\\c\nd\te\u00e9' });
    expect(valueOf(String.raw`'it\'s "x"'`)).toMatchObject({ value: `it's "x"` });
    expect(valueOf(String.raw`"\d+\.py"`)).toMatchObject({ value: String.raw`\d+\.py` });
    expect(valueOf('"a;b"')).toMatchObject({ kind: 'string', value: 'a;b' });
  });

  it('reads integers, negative numbers and floats', () => {
    expect(valueOf('42')).toEqual({ kind: 'integer', value: 42, offset: 9 });
    expect(valueOf('-7')).toMatchObject({ kind: 'integer', value: -7 });
    expect(valueOf('3.25')).toMatchObject({ kind: 'float', value: 3.25 });
    expect(valueOf('-0.5')).toMatchObject({ kind: 'float', value: -0.5 });
    expect(valueOf('1e3')).toMatchObject({ kind: 'float', value: 1000 });
    expect(valueOf('[false, -1, ]')).toMatchObject({
      kind: 'list',
      items: [
        { kind: 'boolean', value: false },
        { kind: 'integer', value: -1 },
      ],
    });
    expect(valueOf('{}')).toMatchObject({ kind: 'dict', entries: [] });
    expect(valueOf('f()')).toMatchObject({ kind: 'call', name: 'f', args: [] });
  });

  it.each([
    ['unterminated string', ['a = "abc', 'RETURN = a;'], 1, 5, /unterminated string/],
    ['missing =', ['RETURN = 1;', 'x 2;'], 2, 3, /expected '=' after x/],
    [
      'missing )',
      ['events = query_bucket(find_bucket("w");', 'RETURN = events;'],
      1,
      39,
      /expected '\)' after the arguments of query_bucket/,
    ],
    ['missing ]', ['RETURN = [1, 2;'], 1, 15, /expected '\]' after the list items/],
    ['missing }', ['RETURN = {"a": 1;'], 1, 17, /expected '}' after the dict entries/],
    ['non-string dict key', ['RETURN = {a: 1};'], 1, 11, /expected a string key/],
    ['stray token', ['RETURN = 1 2;'], 1, 12, /expected ';' after the assignment to RETURN/],
    ['stray character', ['RETURN = 1;', '  # comment'], 2, 3, /unexpected character "#"/],
    ['missing value', ['RETURN = ;'], 1, 10, /expected a value/],
    ['assignment to a keyword', ['true = 1; RETURN = 1;'], 1, 1, /expected a variable name/],
    ['no RETURN', ['events = 1;', 'other = 2;'], 2, 11, /never assigns RETURN/],
    ['huge integer', ['RETURN = 99999999999999999999;'], 1, 10, /out of range/],
    ['bad \\u escape', ['RETURN = "\\u12";'], 1, 11, /four hex digits/],
  ])('reports %s with line and column', (_name, lines, line, column, message) => {
    const error = errorOf(lines);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`line ${String(line)}, column ${String(column)}: `)).toBe(true);
    expect([error.line, error.column]).toEqual([line, column]);
  });

  it('caps nesting depth without overflowing the stack', () => {
    const ok = `RETURN = ${'['.repeat(64)}${']'.repeat(64)};`;
    expect(() => parseQuery(ok)).not.toThrow();
    expect(errorOf(`RETURN = ${'['.repeat(65)}${']'.repeat(65)};`).message).toMatch(/nesting deeper than 64/);
    expect(errorOf(`RETURN = ${'f('.repeat(1000)};`).message).toMatch(/^line 1, column \d+: nesting deeper/);
    expect(errorOf(`RETURN = ${'{"a":'.repeat(100)}1`).message).toMatch(/nesting deeper/);
  });

  it('caps source length and token count', () => {
    expect(errorOf(`RETURN = "${'x'.repeat(100_000)}";`).message).toMatch(
      /^line 1, column 1: query is longer than 100000 characters/,
    );
    expect(errorOf(Array.from({ length: 60_000 }, () => 'ab')).message).toMatch(/longer than 100000/);
    expect(errorOf(`RETURN = [${'1,'.repeat(6000)}];`).message).toMatch(
      /^line 1, column \d+: query has more than 10000 tokens/,
    );
  });

  it('rejects non-string lines with a QueryError', () => {
    expect(errorOf([1 as unknown as string]).message).toMatch(/must be strings/);
  });

  it('never throws anything but QueryError on garbage', () => {
    const alphabet = fc.constantFrom(...'RETURN=;,:()[]{}"\'\\-.0123456789abe_ \n\tü#'.split(''));
    const garbage = fc.oneof(fc.string({ maxLength: 500 }), fc.string({ unit: alphabet, maxLength: 500 }));
    fc.assert(
      fc.property(garbage, (source) => {
        try {
          parseQuery(source);
        } catch (error) {
          expect(error).toBeInstanceOf(QueryError);
          if (error instanceof QueryError) expect(error.message).toMatch(/^line \d+, column \d+: /);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
