#!/usr/bin/env node
/**
 * The `sundial` command. Sub-commands live in ./commands; this file only
 * dispatches, and sets the exit code.
 */
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { processOutput, type Output } from './output.js';

// Commands are loaded when used: `sundial agent` runs for days on a desktop and must not carry
// the server (Fastify, Kysely, drivers) in memory.
const storeCommand = () => import('./run-command.js');

const HELP = `Usage: sundial <command> [options]

Sundial: self-hostable, privacy-first automatic time tracking.

Commands:
  up                   Run Sundial on this computer (embedded database) and print its address
  serve                Run the Sundial server (SQLite or PostgreSQL, HTTP on loopback or HTTPS)
  keys status          Check the master key against the keyring; count data keys
  keys rotate-master   Re-wrap every data key under a new master key
  backup <file>        Write a consistent copy of the data (no keys)
  backup-keys <file>   Export the keyring, sealed under the master key
  restore              Restore data and/or keyring backups (--data, --keys)
  audit verify         Check the audit log's hash chain; report the first broken entry
  admin reset-link <email>  Print a single-use password reset link (no SMTP needed)
  agent                Run the desktop agent (also: agent pair | status | pause | resume)

Options:
  --help      Show help (also: sundial <command> --help)
  --version   Print the version

Docs: README.md and docs/ in the Sundial repository.`;

export async function main(argv: readonly string[], output: Output): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      output.out(HELP);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    case '--version':
    case '-v':
    case 'version':
      output.out((await import('@sundial/server')).VERSION);
      return EXIT_OK;
    case 'up':
    case 'serve': {
      const { runServe } = await import('./commands/serve.js');
      return runServe(command, rest, output);
    }
    case 'agent': {
      const { runAgentCommand } = await import('./commands/agent.js');
      return runAgentCommand(rest, output);
    }
    case 'backup': {
      const { backupData } = await import('./commands/backup.js');
      return (await storeCommand()).runStoreCommand(backupData, rest, output);
    }
    case 'backup-keys': {
      const { backupKeys } = await import('./commands/backup.js');
      return (await storeCommand()).runStoreCommand(backupKeys, rest, output);
    }
    case 'restore': {
      const { runRestore } = await import('./commands/backup.js');
      return runRestore(rest, output);
    }
    case 'keys': {
      const [sub, ...args] = rest;
      const { keysRotateMaster, keysStatus } = await import('./commands/keys.js');
      const { runStoreCommand } = await storeCommand();
      if (sub === 'status') return runStoreCommand(keysStatus, args, output);
      if (sub === 'rotate-master') return runStoreCommand(keysRotateMaster, args, output);
      output.err(`sundial keys: unknown sub-command '${sub ?? ''}' (status, rotate-master)`);
      return EXIT_USAGE;
    }
    case 'audit': {
      const [sub, ...args] = rest;
      const { auditVerify } = await import('./commands/audit.js');
      if (sub === 'verify') return (await storeCommand()).runStoreCommand(auditVerify, args, output);
      output.err(`sundial audit: unknown sub-command '${sub ?? ''}' (verify)`);
      return EXIT_USAGE;
    }
    case 'admin': {
      const [sub, ...args] = rest;
      const { adminResetLink } = await import('./commands/admin.js');
      if (sub === 'reset-link') return (await storeCommand()).runStoreCommand(adminResetLink, args, output);
      output.err(`sundial admin: unknown sub-command '${sub ?? ''}' (reset-link)`);
      return EXIT_USAGE;
    }
    default:
      output.err(`sundial: unknown command '${command}'. Run 'sundial --help' for the list.`);
      return EXIT_USAGE;
  }
}

main(process.argv.slice(2), processOutput).then(
  (code) => {
    process.exitCode = code;
    // Nothing left over (a stuck socket) may keep a finished command alive.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    process.stderr.write(`sundial: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
