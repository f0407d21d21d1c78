/** `sundial agent pair --server <url>`: pairs this computer (or stores a given --token) in the config folder. */
import { hostname } from 'node:os';
import { AgentConfigError, loadAgentConfig, pairDevice, platformName } from '@sundial/agent';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import type { Output } from '../output.js';
import type { AgentFlags } from './agent-flags.js';

export async function agentPair(flags: AgentFlags, output: Output): Promise<number> {
  if (flags.settings.server === undefined) {
    output.err('sundial agent pair: --server <url> is required');
    return EXIT_USAGE;
  }
  const config = loadAgentConfig({
    flags: flags.settings,
    need: 'control',
    trustNewKey: flags.switches.has('--trust-new-key'),
  });
  if (config.server === null) throw new AgentConfigError(['--server: missing']);
  const name = (flags.values['--name'] ?? hostname()).slice(0, 100) || 'computer';
  const result = await pairDevice({
    server: config.server,
    configDir: config.configDir,
    name,
    platform: platformName(process.platform),
    trustNewKey: config.trustNewKey,
    ...(flags.settings.token === undefined ? {} : { token: flags.settings.token }),
    say: (line) => output.out(line),
  });
  output.out(`Paired${result.deviceId ? ` as device ${result.deviceId}` : ''}. Credentials stored in ${result.file}.`);
  output.out("Start recording with 'sundial agent' (or install it to start with your session).");
  return EXIT_OK;
}
