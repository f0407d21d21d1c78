/** `sundial keys status` and `sundial keys rotate-master`. */
import { loadVerifiedMasterKey, rotateMasterKey } from '@sundial/server';
import { recordMaintenance } from '../audit-trail.js';
import type { StoreCommand } from '../run-command.js';

export const keysStatus: StoreCommand = {
  name: 'keys status',
  usage: 'keys status [options]',
  summary:
    'Show where the keyring and master key are, check the master key against the keyring, and count the data keys.',
  async run({ store, config, output }) {
    const master = await loadVerifiedMasterKey(store.keyring, config.masterKey);
    const counts = await store.keyring.countKeys();
    output.out(`keyring:        ${store.keyringLocation}`);
    output.out(
      `master key:     ${config.masterKey.kind === 'file' ? `file ${config.masterKey.path}` : 'SUNDIAL_MASTER_KEY'}`,
    );
    output.out(`master key id:  ${master.keyId} (matches the keyring)`);
    output.out(`data keys:      ${counts.total} (including the instance's email-index and audit keys)`);
    for (const [id, n] of Object.entries(counts.byMasterKey)) output.out(`  wrapped by ${id}: ${n}`);
  },
};

export const keysRotateMaster: StoreCommand = {
  name: 'keys rotate-master',
  usage: 'keys rotate-master [--new-key-file <file>] [options]',
  summary:
    'Re-wrap every data key under a new master key (the data is not touched). Stop every Sundial server first. ' +
    'Safe to interrupt and run again.',
  options: { 'new-key-file': { type: 'string' } },
  optionHelp: [
    '  --new-key-file <file>   Where to write the new key when the current one comes from SUNDIAL_MASTER_KEY',
  ],
  async run({ store, config, parsed, output }) {
    const newKeyFile = parsed.values['new-key-file'];
    const result = await rotateMasterKey(store.keyring, config.masterKey, {
      newKeyFile: typeof newKeyFile === 'string' ? newKeyFile : undefined,
    });
    // The keyring now answers to the new key, wherever it was written.
    const now = { ...config, masterKey: { kind: 'file' as const, path: result.keyFile } };
    await recordMaintenance(store, now, 'keys.rotate', {
      from: result.oldKeyId,
      to: result.newKeyId,
      rewrapped: result.rewrapped,
    });
    output.out(
      `Rotated the master key ${result.oldKeyId} → ${result.newKeyId}; re-wrapped ${result.rewrapped} data keys.`,
    );
    output.out(`The new key is in ${result.keyFile}.`);
    if (result.retiredKeyFile) {
      output.out(
        `The old key was kept as ${result.retiredKeyFile}: keyring backups made before now need it. ` +
          'Store it offline with those backups, or delete it once they have expired.',
      );
    } else {
      output.out(
        'Set SUNDIAL_MASTER_KEY to the content of that file (or SUNDIAL_MASTER_KEY_FILE to it) before starting Sundial.',
      );
    }
  },
};
