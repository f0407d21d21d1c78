/**
 * People: creating one (a data key first, then the row with the email and
 * name encrypted under it), reading one back, finding one by email through
 * the instance-level blind index, and deleting one for good.
 *
 * Deletion is crypto-shredding in three durable steps, each safe to repeat:
 * (1) mark the person `deleting`, (2) destroy their data key in the keyring,
 * (3) delete their rows. After step 2 nothing of theirs can be read, even
 * from a backup taken earlier; a crash anywhere leaves the mark, and
 * `resumeDeletions` (run at every start) finishes the job.
 */
import { randomBytes } from 'node:crypto';
import { decryptField, emailBlindIndex, encryptField } from '@sundial/crypto';
import { uuidv7 } from '@sundial/core';
import type { PersonStatus, Role, UsersRepository } from '@sundial/store';
import type { Keyring } from '../keys/keyring.js';
import type { NamesDictionary } from './names-dictionary.js';

export interface Person {
  readonly id: string;
  readonly email: string;
  readonly displayName: string | null;
  readonly status: PersonStatus;
  readonly createdAt: number;
}

export interface NewPerson {
  /** A UUIDv7 chosen by the caller (e.g. to claim something before the person exists); one is made otherwise. */
  readonly id?: string;
  readonly email: string;
  readonly displayName?: string | null;
  /** An argon2id hash (never a password). */
  readonly passwordHash?: string | null;
  readonly role?: Role;
}

export interface People {
  /** Creates the person; `email_taken` when the (normalised) email already has an account. */
  create(input: NewPerson): Promise<{ id: string } | 'email_taken'>;
  get(id: string): Promise<Person | null>;
  idByEmail(email: string): Promise<string | null>;
  /** Changes the person's email; `email_taken` when another account has it. */
  changeEmail(id: string, email: string): Promise<'changed' | 'email_taken'>;
  /** Deletes the person and everything of theirs, for good; false when there is no such person. */
  delete(id: string): Promise<boolean>;
  /** Finishes deletions a crash interrupted; answers how many. */
  resumeDeletions(): Promise<number>;
}

export interface PeopleDeps {
  readonly users: UsersRepository;
  readonly keyring: Keyring;
  readonly names: NamesDictionary;
  readonly now?: () => number;
  /** Test seam: runs between the steps of a deletion. */
  readonly onDeletionStep?: (step: 'marked' | 'shredded') => Promise<void> | void;
}

const USERS = 'users';

export function people(deps: PeopleDeps): People {
  const now = deps.now ?? Date.now;

  async function finishDeletion(id: string): Promise<void> {
    await deps.keyring.shred(id);
    deps.names.forget(id);
    await deps.onDeletionStep?.('shredded');
    await deps.users.deleteWithRows(id);
  }

  return {
    async create(input) {
      const id = input.id ?? uuidv7(now(), randomBytes(10));
      const key = await deps.keyring.dataKey(id);
      const at = now();
      const inserted = await deps.users.insert({
        id,
        emailIndex: emailBlindIndex(deps.keyring.emailIndexKey, input.email),
        emailCiphertext: encryptField(key, { table: USERS, column: 'email' }, input.email),
        displayNameCiphertext:
          input.displayName == null
            ? null
            : encryptField(key, { table: USERS, column: 'display_name' }, input.displayName),
        status: 'active',
        createdAt: at,
        updatedAt: at,
        passwordHash: input.passwordHash ?? null,
        role: input.role ?? 'member',
      });
      if (!inserted) {
        // Nothing of this person was stored; do not leave an orphan key behind.
        await deps.keyring.shred(id);
        return 'email_taken';
      }
      return { id };
    },
    async get(id) {
      const row = await deps.users.byId(id);
      if (!row) return null;
      const key = await deps.keyring.existingDataKey(id);
      if (!key) return null; // shredded: the row is unreadable by design, and about to go
      return {
        id: row.id,
        email: decryptField(key, { table: USERS, column: 'email' }, row.emailCiphertext),
        displayName: row.displayNameCiphertext
          ? decryptField(key, { table: USERS, column: 'display_name' }, row.displayNameCiphertext)
          : null,
        status: row.status,
        createdAt: row.createdAt,
      };
    },
    async idByEmail(email) {
      return deps.users.idByEmailIndex(emailBlindIndex(deps.keyring.emailIndexKey, email));
    },
    async changeEmail(id, email) {
      const key = await deps.keyring.dataKey(id);
      const changed = await deps.users.setEmail(
        id,
        emailBlindIndex(deps.keyring.emailIndexKey, email),
        encryptField(key, { table: USERS, column: 'email' }, email),
        now(),
      );
      return changed ? 'changed' : 'email_taken';
    },
    async delete(id) {
      if (!(await deps.users.setStatus(id, 'deleting', now()))) return false;
      await deps.onDeletionStep?.('marked');
      await finishDeletion(id);
      return true;
    },
    async resumeDeletions() {
      const pending = await deps.users.idsWithStatus('deleting');
      for (const id of pending) await finishDeletion(id);
      return pending.length;
    },
  };
}
