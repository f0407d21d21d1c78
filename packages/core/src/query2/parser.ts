/**
 * Recursive-descent parser for query2 programs.
 *
 * Grammar (statements end with `;`, the last one may omit it; empty
 * statements are skipped):
 *   program    = { name "=" expression ";" }
 *   expression = string | number | true | false | name | name "(" args ")"
 *              | "[" items "]" | "{" string ":" expression, … "}"
 * Lists, dicts and argument lists allow one trailing comma. Nesting is capped
 * at MAX_DEPTH and checked before each descent, so the call stack stays small
 * whatever the input. The program must assign RETURN.
 */

import type { Assignment, DictEntry, Expression, Program } from './ast.js';
import { QueryError } from './errors.js';
import { MAX_SOURCE_LENGTH, type Token, tokenize } from './lexer.js';

export { QueryError } from './errors.js';

/** Deepest allowed nesting of lists, dicts and calls. */
export const MAX_DEPTH = 64;

const KEYWORDS = new Set(['true', 'false']);

/** Parses a program given as one string or as lines (joined with newlines). */
export function parseQuery(source: string | readonly string[]): Program {
  const text = joinSource(source);
  return new Parser(text, tokenize(text)).program();
}

function joinSource(source: string | readonly string[]): string {
  if (typeof source === 'string') return source;
  let length = 0;
  for (const line of source as readonly unknown[]) {
    if (typeof line !== 'string') throw new QueryError('query lines must be strings', 1, 1, 0);
    length += line.length + 1;
    if (length > MAX_SOURCE_LENGTH + 1) {
      throw new QueryError(`query is longer than ${String(MAX_SOURCE_LENGTH)} characters`, 1, 1, 0);
    }
  }
  return source.join('\n');
}

function describe(token: Token): string {
  switch (token.type) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return 'a string';
    case 'integer':
    case 'float':
      return `number ${token.text}`;
    case 'identifier':
      return `'${token.text}'`;
    case 'punct':
      return `'${token.text}'`;
  }
}

class Parser {
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  program(): Program {
    const statements: Assignment[] = [];
    while (this.peek().type !== 'end') {
      if (this.isPunct(';')) {
        this.pos++;
        continue;
      }
      statements.push(this.statement());
    }
    if (!statements.some((s) => s.name === 'RETURN')) {
      throw this.error(this.peek(), 'the query never assigns RETURN');
    }
    return { statements };
  }

  private statement(): Assignment {
    const name = this.peek();
    if (name.type !== 'identifier' || KEYWORDS.has(name.text)) {
      throw this.error(name, `expected a variable name at the start of a statement, found ${describe(name)}`);
    }
    this.pos++;
    this.expect('=', `'=' after ${name.text}`);
    const value = this.expression(0);
    if (this.peek().type !== 'end') this.expect(';', `';' after the assignment to ${name.text}`);
    return { kind: 'assign', name: name.text, value, offset: name.offset };
  }

  private expression(depth: number): Expression {
    const token = this.peek();
    this.pos++;
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.text, offset: token.offset };
      case 'integer':
      case 'float':
        return { kind: token.type, value: token.value, offset: token.offset };
      case 'identifier':
        if (KEYWORDS.has(token.text)) {
          return { kind: 'boolean', value: token.text === 'true', offset: token.offset };
        }
        if (!this.isPunct('(')) return { kind: 'variable', name: token.text, offset: token.offset };
        this.enter(depth, this.peek());
        this.pos++;
        return {
          kind: 'call',
          name: token.text,
          args: this.items(')', depth + 1, `the arguments of ${token.text}`),
          offset: token.offset,
        };
      case 'punct':
        if (token.text === '[') {
          this.enter(depth, token);
          return { kind: 'list', items: this.items(']', depth + 1, 'the list items'), offset: token.offset };
        }
        if (token.text === '{') {
          this.enter(depth, token);
          return { kind: 'dict', entries: this.entries(depth + 1), offset: token.offset };
        }
        break;
      case 'end':
        break;
    }
    throw this.error(token, `expected a value, found ${describe(token)}`);
  }

  /** Comma-separated expressions up to `close` (which is consumed). */
  private items(close: ')' | ']', depth: number, what: string): Expression[] {
    const items: Expression[] = [];
    while (!this.isPunct(close)) {
      items.push(this.expression(depth));
      if (!this.isPunct(',')) break;
      this.pos++;
    }
    this.expect(close, `'${close}' after ${what}`);
    return items;
  }

  private entries(depth: number): DictEntry[] {
    const entries: DictEntry[] = [];
    while (!this.isPunct('}')) {
      const key = this.peek();
      if (key.type !== 'string') throw this.error(key, `expected a string key in the dict, found ${describe(key)}`);
      this.pos++;
      this.expect(':', `':' after the dict key ${JSON.stringify(key.text)}`);
      entries.push({ key: key.text, keyOffset: key.offset, value: this.expression(depth) });
      if (!this.isPunct(',')) break;
      this.pos++;
    }
    this.expect('}', "'}' after the dict entries");
    return entries;
  }

  private enter(depth: number, at: Token): void {
    if (depth >= MAX_DEPTH) throw this.error(at, `nesting deeper than ${String(MAX_DEPTH)} levels`);
  }

  private peek(): Token {
    const token = this.tokens[this.pos] ?? this.tokens[this.tokens.length - 1];
    if (token === undefined) throw new QueryError('empty token stream', 1, 1, 0);
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.type === 'punct' && token.text === text;
  }

  private expect(text: string, what: string): void {
    if (!this.isPunct(text)) throw this.error(this.peek(), `expected ${what}, found ${describe(this.peek())}`);
    this.pos++;
  }

  private error(token: Token, message: string): QueryError {
    return QueryError.at(this.source, token.offset, message);
  }
}
