/**
 * `sundial serve` runs the server with the given settings; `sundial up` is
 * the one command a person runs on their own computer: the server with the
 * embedded database in the default data folder, and the desktop agent for
 * this computer beside it (up-agent.ts).
 */
import {
  ConfigError,
  StartupError,
  loadConfigFromProcess,
  type RawSettings,
  type RunningServer,
  startServer,
} from '@sundial/server';
import { AGENT_SETTINGS } from '@sundial/agent';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Output } from '../output.js';
import { parseCommand, settingsHelp } from './settings-flags.js';
import { startLocalAgent, type LocalAgent } from './up-agent.js';

export type ServeMode = 'serve' | 'up';

const SUMMARY: Record<ServeMode, string> = {
  serve: 'Run the Sundial server.',
  up: 'Run Sundial on this computer with the embedded database, and print its address.',
};

export function serveHelp(mode: ServeMode): string {
  return [
    `Usage: sundial ${mode} [options]`,
    '',
    SUMMARY[mode],
    '',
    'Options (each also settable by its environment variable; a flag wins):',
    ...settingsHelp(),
    '  --help                  Show this help',
  ].join('\n');
}

export interface ServeHandle {
  readonly server: RunningServer;
  /** Resolves with the exit code once the server has stopped. */
  readonly stopped: Promise<number>;
}

/** Parses flags, starts the server and wires SIGTERM/SIGINT to a graceful stop. */
export async function runServe(mode: ServeMode, argv: readonly string[], output: Output): Promise<number> {
  let flags: RawSettings = {};
  try {
    const parsed = parseCommand(argv);
    if (parsed.help) {
      output.out(serveHelp(mode));
      return EXIT_OK;
    }
    if (parsed.positionals.length > 0) throw new Error(`unexpected argument '${parsed.positionals[0] ?? ''}'`);
    flags = parsed.settings;
  } catch (error) {
    output.err(`sundial ${mode}: ${error instanceof Error ? error.message : String(error)}`);
    output.err(`Run 'sundial ${mode} --help' for the options.`);
    return EXIT_USAGE;
  }

  let server: RunningServer;
  try {
    // The agent's settings are Sundial settings too: known, and left to the agent.
    server = await startServer(
      loadConfigFromProcess(
        flags,
        AGENT_SETTINGS.map((setting) => setting.env),
      ),
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) output.err(`sundial: configuration: ${problem}`);
      return EXIT_USAGE;
    }
    if (error instanceof StartupError) {
      output.err(`sundial: cannot start: ${error.message}`);
      return EXIT_FAILURE;
    }
    output.err(`sundial: cannot start: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }

  // Signal handlers go in before the address is announced: whoever reads
  // the line may stop the server at once, and that must be a clean stop.
  let agent: LocalAgent | null = null;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        output.err(`sundial: second ${signal}: stopping now`);
        resolve(EXIT_FAILURE);
        return;
      }
      stopping = true;
      output.out(`Received ${signal}: finishing requests in flight and closing the database…`);
      // The agent first: its last upload needs the server.
      (agent ? agent.stop() : Promise.resolve())
        .then(() => server.close())
        .then(
          () => {
            output.out('Sundial stopped.');
            resolve(EXIT_OK);
          },
          (error: unknown) => {
            output.err(`sundial: error while stopping: ${error instanceof Error ? error.message : String(error)}`);
            resolve(EXIT_FAILURE);
          },
        );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    output.out(`Sundial is running at ${server.url} (data: ${server.store.location})`);
    output.out('Press Ctrl+C to stop.');
    if (mode === 'up') agent = startLocalAgent(server.url, output);
  });
}
