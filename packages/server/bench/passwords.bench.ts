/** What one password check costs (argon2id at OWASP's baseline), the floor of every log-in. */
import { bench, describe } from 'vitest';
import { hashPassword, verifyPassword } from '../src/auth/passwords.js';

const stored = await hashPassword('a long and unusual passphrase');

describe('passwords', () => {
  bench(
    'argon2id hash (m=19456 KiB, t=2, p=1)',
    async () => {
      await hashPassword('a long and unusual passphrase');
    },
    { time: 3000 },
  );

  bench(
    'argon2id verify',
    async () => {
      await verifyPassword(stored, 'a long and unusual passphrase');
    },
    { time: 3000 },
  );
});
