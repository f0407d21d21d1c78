/** `sundial admin reset-link <email>`: a password reset link, for instances without outgoing mail. */
import { createServices, openKeyring } from '@sundial/server';
import { EXIT_FAILURE, EXIT_OK } from '../exit-codes.js';
import { UsageError, type StoreCommand } from '../run-command.js';

export const adminResetLink: StoreCommand = {
  name: 'admin reset-link',
  usage: 'admin reset-link <email> [options]',
  summary:
    'Print a single-use password reset link (valid 30 minutes) for the account with this email, to hand over in ' +
    'person. Use it where no SMTP server is configured. The link also reopens an account locked after failed log-ins.',
  async run({ store, config, parsed, output }) {
    const [email, extra] = parsed.positionals;
    if (!email || extra !== undefined) throw new UsageError('name exactly one email address');
    const keyring = await openKeyring({
      repo: store.keyring,
      source: config.masterKey,
      dataHoldsPeople: async () => (await store.users.count()) > 0,
    });
    const link = await createServices(store, keyring, config).accounts.issueResetLink(email);
    if (!link) {
      output.err('sundial admin reset-link: no account has that email');
      return EXIT_FAILURE;
    }
    output.out(link);
    return EXIT_OK;
  },
};
