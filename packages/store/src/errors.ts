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
