/**
 * `sundial agent`: runs the desktop agent in the foreground (watcher, queue,
 * local API, sync) until SIGINT/SIGTERM; the sub-commands live in
 * agent-control.ts and agent-pair.ts.
 */
import {
  AgentConfigError,
  createPlatformWatcher,
  jsonLog,
  scriptWatcherFromFile,
  sessionEnv,
  startAgent,
  type AgentConfig,
  type AgentLog,
  type Watcher,
} from '@sundial/agent';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Output } from '../output.js';
import { agentInstall, agentUninstall } from './agent-autostart.js';
import { agentPause, agentResume, agentStatus } from './agent-control.js';
import { agentPair } from './agent-pair.js';
import { agentConfig, agentSettingsHelp, parseAgentFlags, type AgentFlags } from './agent-flags.js';

export const AGENT_HELP = [
  'Usage: sundial agent [command] [options]',
  '',
  'The desktop agent: records the window in front and away time, keeps them in a',
  'local queue, and sends them to your Sundial server. Also serves the',
  'ActivityWatch API on 127.0.0.1:5600 for ActivityWatch watchers and extensions.',
  '',
  'Commands:',
  '  (none)              Run in the foreground (Ctrl-C stops)',
  '  pair --server <url> Pair this computer: shows a code to approve in the dashboard',
  '                      (--token <token> for scripted set-ups; --name <name>)',
  '  status              Server, queue length, last sync and watcher of the running agent',
  '  pause [duration]    Stop recording (e.g. 30m, 2h; no duration: until resume)',
  '  resume              Record again',
  '  install             Start the agent with your session (systemd user unit, launchd, Startup folder)',
  '  uninstall           Remove that again',
  '',
  'Options (each also settable by its environment variable; a flag wins):',
  ...agentSettingsHelp(),
  '  --trust-new-key         Accept a server key that differs from the pinned one',
  '  --help                  Show this help',
].join('\n');

export async function runAgentCommand(argv: readonly string[], output: Output): Promise<number> {
  let flags: AgentFlags;
  try {
    flags = parseAgentFlags(argv);
  } catch (error) {
    output.err(`sundial agent: ${error instanceof Error ? error.message : String(error)}`);
    output.err("Run 'sundial agent --help' for the options.");
    return EXIT_USAGE;
  }
  if (flags.switches.has('--help')) {
    output.out(AGENT_HELP);
    return EXIT_OK;
  }
  const [sub, ...args] = flags.positionals;
  try {
    switch (sub) {
      case undefined:
        return await runForeground(flags, output);
      case 'status':
        return await agentStatus(flags, output);
      case 'pause':
        return await agentPause(flags, args, output);
      case 'resume':
        return await agentResume(flags, output);
      case 'pair':
        return await agentPair(flags, output);
      case 'install':
        return await agentInstall(flags, output);
      case 'uninstall':
        return await agentUninstall(output);
      default:
        output.err(`sundial agent: unknown sub-command '${sub}' (pair, status, pause, resume, install, uninstall)`);
        return EXIT_USAGE;
    }
  } catch (error) {
    if (error instanceof AgentConfigError) {
      output.err(`sundial agent: ${error.message}`);
      return EXIT_USAGE;
    }
    output.err(`sundial agent: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_FAILURE;
  }
}

function watcherFor(config: AgentConfig, log: AgentLog): Watcher {
  if (config.watcher.startsWith('script:')) return scriptWatcherFromFile(config.watcher.slice('script:'.length));
  return createPlatformWatcher(sessionEnv(), process.platform, { log });
}

async function runForeground(flags: AgentFlags, output: Output): Promise<number> {
  const config = agentConfig(flags, 'run');
  const log = jsonLog();
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let stopping = false;
  let stop: (code: number) => void = (code) => finish(code);
  const agent = await startAgent({ config, watcher: watcherFor(config, log), log, onFatal: () => stop(EXIT_FAILURE) });
  output.out(
    `Sundial agent running: local API on http://${config.host}:${agent.port}, sending to ${config.server ?? '(nowhere)'}`,
  );
  const onSignal = () => stop(EXIT_OK);
  stop = (code) => {
    if (stopping) return;
    stopping = true;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    void agent.stop().then(() => finish(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return finished;
}
