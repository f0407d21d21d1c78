/**
 * The one error type of query2 parsing (and, later, evaluation).
 *
 * The HTTP layer answers a QueryError with 400 and its message; any other
 * exception is a bug. Messages start with "line L, column C:" (both 1-based,
 * columns in UTF-16 code units) so users can find the mistake in the lines
 * they sent.
 */

export class QueryError extends Error {
  override readonly name = 'QueryError';

  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly offset: number,
  ) {
    super(`line ${String(line)}, column ${String(column)}: ${message}`);
  }

  /** Builds the error for a source offset, computing line and column. */
  static at(source: string, offset: number, message: string): QueryError {
    const clamped = Math.max(0, Math.min(offset, source.length));
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < clamped; i++) {
      if (source.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    return new QueryError(message, line, clamped - lineStart + 1, clamped);
  }
}
