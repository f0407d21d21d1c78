/**
 * SQL over the audit log: append-only, hash-chained (the hashing and HMAC
 * belong to the server's audit module; this one only stores). Nothing here
 * ever updates or deletes an `audit_log` row.
 *
 * `audit_head` (one row) holds the last seq and hash. An append updates it
 * first, in the same transaction as the insert: that write takes SQLite's
 * write lock or PostgreSQL's row lock, so appenders in any number of
 * processes queue there and each sees the hash its predecessor committed.
 */
import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../schema.js';

export interface AuditRow {
  readonly seq: number;
  readonly at: number;
  readonly action: string;
  readonly actorId: string | null;
  readonly subjectId: string | null;
  /** Truncated; the full address only ever inside `privateCiphertext`. */
  readonly ip: string | null;
  /** JSON text, stored and hashed exactly as given. */
  readonly details: string;
  readonly privateCiphertext: Buffer | null;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
  readonly hmac: Buffer;
}

/** What an append's builder supplies: the repository fills in `seq` and `prevHash` from the head. */
export type NewAuditRow = Omit<AuditRow, 'seq' | 'prevHash'>;

export interface AuditHead {
  readonly lastSeq: number;
  readonly lastHash: Buffer;
}

/** Runs work alone among this process's connections to the same database (the dialect's `exclusive`). */
export type Exclusive = <T>(work: () => Promise<T>) => Promise<T>;

export interface AuditRepository {
  /**
   * Appends one entry in one transaction: claims the next seq at the head,
   * builds the row from it and the previous hash (synchronously: the head is
   * locked meanwhile), inserts it, and moves the head's hash on.
   */
  append(build: (seq: number, prevHash: Buffer) => NewAuditRow): Promise<AuditRow>;
  /** Up to `limit` entries after `afterSeq`, in seq order. */
  page(afterSeq: number, limit: number): Promise<AuditRow[]>;
  /** A subject's entries, newest first, optionally only those before `beforeSeq`. */
  bySubject(subjectId: string, options: { readonly beforeSeq?: number; readonly limit: number }): Promise<AuditRow[]>;
  head(): Promise<AuditHead>;
}

const HEAD_ID = 1;

function toRow(r: Selectable<AuditLogTable>): AuditRow {
  return {
    seq: Number(r.seq),
    at: Number(r.at),
    action: r.action,
    actorId: r.actor_id,
    subjectId: r.subject_id,
    ip: r.ip,
    details: r.details,
    privateCiphertext: r.private_ct ? Buffer.from(r.private_ct) : null,
    prevHash: Buffer.from(r.prev_hash),
    hash: Buffer.from(r.hash),
    hmac: Buffer.from(r.hmac),
  };
}

/**
 * `exclusive` matters for SQLite only: better-sqlite3 waits for a lock
 * synchronously, so two stores of one process on the same file must not
 * both be inside an append at once (the waiting one would block the holder).
 */
export function auditRepository(db: Kysely<Database>, exclusive: Exclusive = (work) => work()): AuditRepository {
  return {
    append(build) {
      return exclusive(() =>
        db.transaction().execute(async (trx) => {
          // The write comes first: it is what serialises appenders.
          const head = await trx
            .updateTable('audit_head')
            .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
            .where('id', '=', HEAD_ID)
            .returning(['last_seq', 'last_hash'])
            .executeTakeFirstOrThrow();
          const seq = Number(head.last_seq);
          const prevHash = Buffer.from(head.last_hash);
          const row: AuditRow = { ...build(seq, prevHash), seq, prevHash };
          await trx
            .insertInto('audit_log')
            .values({
              seq,
              at: row.at,
              action: row.action,
              actor_id: row.actorId,
              subject_id: row.subjectId,
              ip: row.ip,
              details: row.details,
              private_ct: row.privateCiphertext,
              prev_hash: prevHash,
              hash: row.hash,
              hmac: row.hmac,
            })
            .execute();
          await trx.updateTable('audit_head').set({ last_hash: row.hash }).where('id', '=', HEAD_ID).execute();
          return row;
        }),
      );
    },
    async page(afterSeq, limit) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toRow);
    },
    async bySubject(subjectId, options) {
      let query = db.selectFrom('audit_log').selectAll().where('subject_id', '=', subjectId);
      if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq);
      const rows = await query.orderBy('seq', 'desc').limit(options.limit).execute();
      return rows.map(toRow);
    },
    async head() {
      const r = await db
        .selectFrom('audit_head')
        .select(['last_seq', 'last_hash'])
        .where('id', '=', HEAD_ID)
        .executeTakeFirstOrThrow();
      return { lastSeq: Number(r.last_seq), lastHash: Buffer.from(r.last_hash) };
    },
  };
}
