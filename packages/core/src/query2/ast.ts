/**
 * Syntax tree of ActivityWatch's query2 language.
 *
 * ActivityWatch clients (aw-webui, aw-client) send analysis programs such as
 * `events = query_bucket(find_bucket("aw-watcher-window_")); RETURN = events;`.
 * Sundial parses them into this tree and evaluates the tree itself, so a
 * program is data to interpret and never code to run. Every node records the
 * source offset where it starts, so evaluation errors can name a line and column.
 */

/** A whole program: statements in source order. */
export interface Program {
  readonly statements: readonly Assignment[];
}

/** `name = expression;` */
export interface Assignment {
  readonly kind: 'assign';
  readonly name: string;
  readonly value: Expression;
  readonly offset: number;
}

export type Expression =
  StringLiteral | IntegerLiteral | FloatLiteral | BooleanLiteral | ListLiteral | DictLiteral | VariableRef | Call;

/** A string with escapes already resolved. */
export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
  readonly offset: number;
}

/** A number written without a fraction or exponent; always a safe integer. */
export interface IntegerLiteral {
  readonly kind: 'integer';
  readonly value: number;
  readonly offset: number;
}

/** A number written with a fraction or exponent; always finite. */
export interface FloatLiteral {
  readonly kind: 'float';
  readonly value: number;
  readonly offset: number;
}

export interface BooleanLiteral {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly offset: number;
}

export interface ListLiteral {
  readonly kind: 'list';
  readonly items: readonly Expression[];
  readonly offset: number;
}

/** One `"key": value` pair; duplicate keys are kept in order (evaluation decides). */
export interface DictEntry {
  readonly key: string;
  readonly keyOffset: number;
  readonly value: Expression;
}

export interface DictLiteral {
  readonly kind: 'dict';
  readonly entries: readonly DictEntry[];
  readonly offset: number;
}

export interface VariableRef {
  readonly kind: 'variable';
  readonly name: string;
  readonly offset: number;
}

/** `name(arg, …)`; the callee is always a plain name. */
export interface Call {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expression[];
  readonly offset: number;
}
