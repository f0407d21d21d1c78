/**
 * Tokenizer for query2 source.
 *
 * Hand-written and linear: every loop advances at least one character, so
 * hostile input cannot make it hang, and the token count is capped. Numbers
 * carry their own sign (`-5`, `-0.5`) because query2 has no arithmetic.
 * Strings take single or double quotes and JSON-style escapes; an unknown
 * escape such as `\d` keeps its backslash, so regexes written the Python way
 * still work. A raw line break inside a string is an error (unterminated).
 */

import { QueryError } from './errors.js';

/** Limits against hostile input. */
export const MAX_SOURCE_LENGTH = 100_000;
export const MAX_TOKENS = 10_000;

export type Punctuation = '(' | ')' | '[' | ']' | '{' | '}' | ',' | ':' | ';' | '=';

export type Token =
  | { readonly type: 'identifier'; readonly text: string; readonly offset: number }
  | { readonly type: 'string'; readonly text: string; readonly offset: number }
  | { readonly type: 'integer' | 'float'; readonly value: number; readonly text: string; readonly offset: number }
  | { readonly type: 'punct'; readonly text: Punctuation; readonly offset: number }
  | { readonly type: 'end'; readonly text: ''; readonly offset: number };

const PUNCTUATION = new Set<string>(['(', ')', '[', ']', '{', '}', ',', ':', ';', '=']);
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '/': '/',
};

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function isPunctuation(ch: string): ch is Punctuation {
  return PUNCTUATION.has(ch);
}

/** Splits source into tokens, ending with one `end` token. */
export function tokenize(source: string): Token[] {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw QueryError.at(source, 0, `query is longer than ${String(MAX_SOURCE_LENGTH)} characters`);
  }
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    const ch = source.charAt(pos);
    if (isSpace(ch)) {
      pos++;
      continue;
    }
    if (tokens.length >= MAX_TOKENS) {
      throw QueryError.at(source, pos, `query has more than ${String(MAX_TOKENS)} tokens`);
    }
    const start = pos;
    if (isPunctuation(ch)) {
      tokens.push({ type: 'punct', text: ch, offset: start });
      pos++;
    } else if (ch === '"' || ch === "'") {
      const [text, next] = readString(source, pos);
      tokens.push({ type: 'string', text, offset: start });
      pos = next;
    } else if (matchAt(NUMBER, source, pos) !== null) {
      const text = matchAt(NUMBER, source, pos) ?? '';
      tokens.push(numberToken(source, text, start));
      pos += text.length;
    } else {
      const text = matchAt(IDENTIFIER, source, pos);
      if (text === null) {
        throw QueryError.at(source, pos, `unexpected character ${JSON.stringify(ch)}`);
      }
      tokens.push({ type: 'identifier', text, offset: start });
      pos += text.length;
    }
  }
  tokens.push({ type: 'end', text: '', offset: source.length });
  return tokens;
}

function matchAt(pattern: RegExp, source: string, pos: number): string | null {
  pattern.lastIndex = pos;
  const match = pattern.exec(source);
  return match === null ? null : match[0];
}

function numberToken(source: string, text: string, offset: number): Token {
  const value = Number(text);
  const isInteger = /^-?\d+$/.test(text);
  if (isInteger && !Number.isSafeInteger(value)) {
    throw QueryError.at(source, offset, `integer ${text} is out of range`);
  }
  if (!Number.isFinite(value)) {
    throw QueryError.at(source, offset, `number ${text} is out of range`);
  }
  const next = source.charAt(offset + text.length);
  if (/[A-Za-z_.]/.test(next)) {
    throw QueryError.at(source, offset + text.length, `unexpected ${JSON.stringify(next)} after number ${text}`);
  }
  return { type: isInteger ? 'integer' : 'float', value: value === 0 ? 0 : value, text, offset };
}

/** Reads a quoted string starting at `start`; returns its value and the offset after it. */
function readString(source: string, start: number): [string, number] {
  const quote = source.charAt(start);
  let out = '';
  let pos = start + 1;
  for (;;) {
    if (pos >= source.length || source.charAt(pos) === '\n') {
      throw QueryError.at(source, start, `unterminated string (missing closing ${quote})`);
    }
    const ch = source.charAt(pos);
    if (ch === quote) return [out, pos + 1];
    if (ch !== '\\') {
      out += ch;
      pos++;
      continue;
    }
    const esc = source.charAt(pos + 1);
    if (esc === 'u') {
      const hex = source.slice(pos + 2, pos + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
        throw QueryError.at(source, pos, 'expected four hex digits after \\u');
      }
      out += String.fromCharCode(parseInt(hex, 16));
      pos += 6;
    } else if (esc === '' || esc === '\n') {
      throw QueryError.at(source, start, `unterminated string (missing closing ${quote})`);
    } else {
      out += ESCAPES[esc] ?? `\\${esc}`;
      pos += 2;
    }
  }
}
