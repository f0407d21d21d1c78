/**
 * The shape of one migration. Migrations are history: once released, a file
 * never changes. They are written against `Kysely<any>` and never import
 * application code, so they keep working as the code around them moves on.
 */
import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../database-url.js';

export interface Migration {
  /** `YYYYMMDDTHHMM_what`: sorts by time, unique forever. */
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
  up(db: Kysely<any>, dialect: DatabaseKind): Promise<void>;
}
