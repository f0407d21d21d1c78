/**
 * Command-line flags for the server settings (from the one settings table in
 * packages/server/src/config.ts), shared by every command that opens the
 * data store.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SETTINGS, type RawSettings, type SettingSpec } from '@sundial/server';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommand {
  readonly settings: RawSettings;
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  readonly help: boolean;
}

/** Parses `argv` with the settings' flags plus the command's own options; throws on unknown flags. */
export function parseCommand(
  argv: readonly string[],
  own: Options = {},
  settings: readonly SettingSpec[] = SETTINGS,
): ParsedCommand {
  const options: Options = { ...own, help: { type: 'boolean' } };
  for (const spec of settings) if (spec.flag !== null) options[spec.flag] = { type: 'string' };
  const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  const values = parsed.values as Record<string, string | boolean | undefined>;
  let raw: RawSettings = {};
  for (const spec of settings) {
    const value = spec.flag === null ? undefined : values[spec.flag];
    if (typeof value === 'string') raw = { ...raw, [spec.key]: value };
  }
  return { settings: raw, values, positionals: parsed.positionals, help: values['help'] === true };
}

/** Help lines for the settings' flags and environment-only settings. */
export function settingsHelp(settings: readonly SettingSpec[] = SETTINGS): string[] {
  const width = Math.max(...settings.map((s) => (s.flag ?? s.env).length)) + 10;
  return settings.map((s) => {
    const head = s.flag === null ? `(environment) ${s.env}` : `--${s.flag} <value>`;
    const where = s.flag === null ? '' : `env ${s.env}, `;
    return `  ${head.padEnd(width)} ${s.description}\n  ${''.padEnd(width)} ${where}default ${s.defaultText}`;
  });
}

/** The settings that locate the data and the master key (for maintenance commands). */
export const STORE_SETTINGS: readonly SettingSpec[] = SETTINGS.filter((s) =>
  ['dataDir', 'databaseUrl', 'masterKey', 'masterKeyFile', 'logLevel'].includes(s.key),
);
