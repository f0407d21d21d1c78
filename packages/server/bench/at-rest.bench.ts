/**
 * What encryption at rest costs the store, on a SQLite file (WAL, full
 * fsync) — run with `npm run bench`. Each operation is one row:
 *  - interning a new name: blind index + AES-GCM + lookup + insert (encryption on);
 *  - inserting a same-sized row with precomputed bytes (the store's own cost,
 *    encryption off);
 *  - interning a name already seen (the in-memory path every repeat takes);
 *  - resolving names (decrypting) for a report.
 * Numbers go to docs/performance.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, bench, describe } from 'vitest';
import { openStore } from '@sundial/store';
import { createServices, openKeyring } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sundial-bench-'));
const store = await openStore({ kind: 'sqlite', file: join(dir, 'data', 'sundial.db') });
const keyring = await openKeyring({
  repo: store.keyring,
  source: { kind: 'file', path: join(dir, 'keys', 'master.key') },
});
const services = createServices(store, keyring);
const created = await services.people.create({ email: 'bench@example.com', displayName: 'Bench' });
if (created === 'email_taken') throw new Error('unexpected');
const person = created.id;

let counter = 0;
const title = (n: number) => `Quarterly report ${n} — Draft.docx - Writer (a typical window title, about 60 chars)`;
const known: number[] = [];
for (let i = 0; i < 200; i++) known.push(await services.names.intern(person, 'title', title(-i - 1)));
const fakeCiphertext = randomBytes(5 + 12 + 80 + 16);

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('names dictionary on SQLite', () => {
  bench('intern a new name: encrypt + blind index + insert (row)', async () => {
    counter += 1;
    await services.names.intern(person, 'title', title(counter));
  });

  bench('insert a same-sized row without encryption (row)', async () => {
    counter += 1;
    await store.names.insert(
      person,
      { id: 2 ** 47 + counter, kind: 'title', blindIndex: randomBytes(32), ciphertext: fakeCiphertext },
      Date.now(),
    );
  });

  bench('intern a name already seen (cache hit)', async () => {
    await services.names.intern(person, 'title', title(-1));
  });

  bench('resolve 200 names cold (select + decrypt 200 rows)', async () => {
    services.names.forget(person);
    await services.names.resolve(person, known);
  });
});
