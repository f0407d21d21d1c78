/** Command-line flags of `sundial agent …`: each setting's flag (see AGENT_SETTINGS) plus a few switches. */
import {
  AGENT_SETTINGS,
  loadAgentConfig,
  readCredentials,
  type AgentConfig,
  type RawAgentSettings,
} from '@sundial/agent';

export interface AgentFlags {
  readonly settings: RawAgentSettings;
  readonly positionals: readonly string[];
  readonly switches: ReadonlySet<string>;
  readonly values: Readonly<Record<string, string>>;
}

/** `--trust-new-key`, `--help`: flags without a value. */
const SWITCHES = new Set(['--trust-new-key', '--help', '-h', '--json']);
/** Flags with a value that are not settings. */
const EXTRA_VALUES = new Set(['--name']);

export function parseAgentFlags(argv: readonly string[]): AgentFlags {
  const settings: RawAgentSettings = {};
  const positionals: string[] = [];
  const switches = new Set<string>();
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq >= 0 ? arg.slice(0, eq) : arg;
    if (SWITCHES.has(flag)) {
      if (eq >= 0) throw new Error(`${flag} takes no value`);
      switches.add(flag === '-h' ? '--help' : flag);
      continue;
    }
    const spec = AGENT_SETTINGS.find((s) => s.flag === flag);
    if (!spec && !EXTRA_VALUES.has(flag)) throw new Error(`unknown option '${flag}'`);
    let value: string | undefined;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    if (spec) settings[spec.key] = value;
    else values[flag] = value;
  }
  return { settings, positionals, switches, values };
}

export function agentSettingsHelp(): string[] {
  return AGENT_SETTINGS.map(
    (s) => `  ${`${s.flag} <value>`.padEnd(24)}${s.description} [${s.env}; default ${s.defaultText}]`,
  );
}

/** The settings, with the stored pairing used when neither flag nor environment names a server and token. */
export function agentConfig(flags: AgentFlags, need: 'run' | 'control'): AgentConfig {
  const first = loadAgentConfig({ flags: flags.settings, need: 'control' });
  return loadAgentConfig({
    flags: flags.settings,
    need,
    stored: readCredentials(first.configDir),
    trustNewKey: flags.switches.has('--trust-new-key'),
  });
}
