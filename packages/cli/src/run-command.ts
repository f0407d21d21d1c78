/**
 * How a maintenance command runs: parse its flags, load the configuration,
 * open the store, do the work, close the store, and turn every expected
 * failure into one line on standard error with the right exit code.
 */
import { ConfigError, KeySetupError, loadConfigFromProcess, StartupError, type ServerConfig } from '@sundial/server';
import { isCryptoError } from '@sundial/crypto';
import { openStore, StoreError, type Store } from '@sundial/store';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import type { Output } from './output.js';
import { parseCommand, settingsHelp, STORE_SETTINGS, type ParsedCommand } from './commands/settings-flags.js';

export class UsageError extends Error {}

export interface StoreCommand {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options?: Parameters<typeof parseCommand>[1];
  readonly optionHelp?: readonly string[];
  /** Resolving with nothing means success; a command with its own failure outcome answers an exit code. */
  run(context: {
    store: Store;
    config: ServerConfig;
    parsed: ParsedCommand;
    output: Output;
  }): Promise<void> | Promise<number>;
}

export async function runStoreCommand(command: StoreCommand, argv: readonly string[], output: Output): Promise<number> {
  let parsed: ParsedCommand;
  try {
    parsed = parseCommand(argv, command.options, STORE_SETTINGS);
  } catch (error) {
    output.err(`sundial ${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_USAGE;
  }
  if (parsed.help) {
    output.out(
      [
        `Usage: sundial ${command.usage}`,
        '',
        command.summary,
        '',
        'Options:',
        ...(command.optionHelp ?? []),
        ...settingsHelp(STORE_SETTINGS),
      ].join('\n'),
    );
    return EXIT_OK;
  }
  let config: ServerConfig;
  try {
    config = loadConfigFromProcess(parsed.settings);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) output.err(`sundial: configuration: ${problem}`);
      return EXIT_USAGE;
    }
    throw error;
  }
  let store: Store | undefined;
  try {
    store = await openStore(config.database);
    const code = await command.run({ store, config, parsed, output });
    return typeof code === 'number' ? code : EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`sundial ${command.name}: ${error.message}`);
      output.err(`Run 'sundial ${command.name} --help' for the options.`);
      return EXIT_USAGE;
    }
    if (
      error instanceof StoreError ||
      error instanceof KeySetupError ||
      error instanceof StartupError ||
      isCryptoError(error)
    ) {
      output.err(`sundial ${command.name}: ${error.message}`);
      return EXIT_FAILURE;
    }
    output.err(`sundial ${command.name}: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  } finally {
    await store?.close();
  }
}
