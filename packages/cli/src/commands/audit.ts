/** `sundial audit verify`: walk the audit log's hash chain and report the first broken link. */
import { auditLog, KeySetupError, openKeyring } from '@sundial/server';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import type { StoreCommand } from '../run-command.js';

export const auditVerify: StoreCommand = {
  name: 'audit verify',
  usage: 'audit verify [options]',
  summary:
    "Check every entry of the audit log: its hash, its link to the previous entry and its HMAC under the keyring's " +
    'audit key. Exits 1, naming the entry, at the first broken link. Safe while servers run.',
  async run({ store, config, output }) {
    if ((await store.keyring.countKeys()).total === 0) {
      // Opening an empty keyring would create one (and a key file); there is nothing to check against.
      const { lastSeq } = await store.audit.head();
      if (lastSeq > 0) {
        throw new KeySetupError(
          `the keyring is empty but the audit log holds ${lastSeq} entries: restore the keyring ` +
            "('sundial restore --keys <keyring backup>') to check them",
        );
      }
      output.out('audit log: 0 entries, chain intact');
      return EXIT_OK;
    }
    const keyring = await openKeyring({
      repo: store.keyring,
      source: config.masterKey,
      dataHoldsPeople: async () => (await store.users.count()) > 0,
    });
    const result = await auditLog({ repo: store.audit, keyring }).verify();
    if (result.ok) {
      output.out(`audit log: ${result.entries} entries, chain intact`);
      return EXIT_OK;
    }
    output.err(`audit log broken at entry ${result.brokenAt}: ${result.reason}`);
    return EXIT_FAILURE;
  },
};
