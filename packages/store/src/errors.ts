/**
 * Problems opening or migrating a database. They carry a message fit to show
 * an operator as one line, never the password of a database URL.
 */
export type StoreErrorCode =
  | 'store.unreachable'
  | 'store.open_failed'
  | 'store.unknown_migration'
  | 'store.migration_failed'
  | 'store.backup_failed'
  | 'store.restore_failed';

export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** True for a unique or primary-key violation from either database (a write raced another). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True for a foreign-key violation from either database (a referenced row is gone). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
