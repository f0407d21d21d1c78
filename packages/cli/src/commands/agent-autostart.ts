/**
 * `sundial agent install|uninstall`: start the agent with the person's
 * session (systemd user unit, launchd agent, Windows Startup script). The
 * entry runs this same `sundial` with the flags given here; the device token
 * is never written into it (the agent reads the paired credentials).
 */
import { realpathSync } from 'node:fs';
import { agentPlatformEnv, installAutostart, readCredentials, sessionEnv, uninstallAutostart } from '@sundial/agent';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Output } from '../output.js';
import { agentConfig, type AgentFlags } from './agent-flags.js';

/** Settings worth keeping in the entry; the token and server come from the pairing. */
const KEPT: readonly (keyof AgentFlags['settings'])[] = [
  'port',
  'dataDir',
  'configDir',
  'awayAfter',
  'syncInterval',
  'queueMaxMb',
];
const FLAG: Record<string, string> = {
  port: '--port',
  dataDir: '--data-dir',
  configDir: '--config-dir',
  awayAfter: '--away-after',
  syncInterval: '--sync-interval',
  queueMaxMb: '--queue-max-mb',
};

export async function agentInstall(flags: AgentFlags, output: Output): Promise<number> {
  if (flags.settings.token !== undefined || flags.settings.server !== undefined) {
    output.err(
      "sundial agent install: pair first ('sundial agent pair --server <url>'); install never writes a token into a service file",
    );
    return EXIT_USAGE;
  }
  const config = agentConfig(flags, 'control');
  if (readCredentials(config.configDir) === null) {
    output.err(
      `sundial agent install: this computer is not paired (no credentials in ${config.configDir}); run 'sundial agent pair --server <url>' first`,
    );
    return EXIT_USAGE;
  }
  const script = realpathSync(process.argv[1] ?? '');
  const args: string[] = [];
  for (const key of KEPT) {
    const value = flags.settings[key];
    const flag = FLAG[key];
    if (value !== undefined && flag !== undefined) args.push(flag, value);
  }
  const display = sessionEnv().DISPLAY;
  const result = await installAutostart({
    env: agentPlatformEnv(),
    command: [process.execPath, script, 'agent', ...args],
    ...(display ? { environment: { DISPLAY: display } } : {}),
  });
  output.out(`Autostart entry written: ${result.file}`);
  if (result.applied) output.out('The agent is running and starts with your session.');
  for (const line of result.instructions) output.out(`Run: ${line}`);
  return EXIT_OK;
}

export async function agentUninstall(output: Output): Promise<number> {
  const result = await uninstallAutostart({ env: agentPlatformEnv() });
  if (!result.existed) output.out(`No autostart entry at ${result.file}; nothing to remove.`);
  else output.out(`Autostart entry removed: ${result.file}${result.applied ? ' (the agent was stopped)' : ''}`);
  for (const line of result.instructions) output.out(`Run: ${line}`);
  return EXIT_OK;
}
