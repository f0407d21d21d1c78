/**
 * The text of each platform's autostart entry: a systemd user unit, a
 * launchd agent plist, a Windows Startup-folder script. Pure functions; each
 * quotes the agent's argument vector by its own format's rules and refuses
 * what those rules cannot carry.
 */

export const SYSTEMD_UNIT_NAME = 'sundial-agent.service';
export const LAUNCHD_LABEL = 'org.sundial.agent';
export const WINDOWS_STARTUP_NAME = 'sundial-agent.cmd';

export interface EntryInput {
  /** The agent in the foreground: program and arguments (`node …/main.js agent`). */
  readonly command: readonly string[];
  /** Extra environment for the agent (DISPLAY, …); never secrets. */
  readonly environment: Readonly<Record<string, string>>;
}

export class AutostartError extends Error {}

// eslint-disable-next-line no-control-regex -- control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

function checkArgument(value: string, what: string): void {
  if (CONTROL.test(value))
    throw new AutostartError(`${what} contains a control character: cannot write it to an autostart entry`);
}

/** A variable that looks like a secret does not belong in a file others may read. */
const SECRET_NAME = /TOKEN|PASSWORD|SECRET|KEY/i;

function checkInput(input: EntryInput): void {
  if (input.command.length === 0) throw new AutostartError('no command to start');
  input.command.forEach((arg, i) => checkArgument(arg, `argument ${i + 1} of the command`));
  for (const [name, value] of Object.entries(input.environment)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new AutostartError(`'${name}' is not a variable name`);
    if (SECRET_NAME.test(name)) {
      throw new AutostartError(`${name} looks like a secret; the agent reads its token from its config folder instead`);
    }
    checkArgument(value, name);
  }
}

/** systemd's quoting: double quotes with \ and " escaped; % and $ doubled so no specifier or variable expands. */
function systemdQuote(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

export function systemdUnit(input: EntryInput): string {
  checkInput(input);
  const environment = Object.entries(input.environment).map(
    ([name, value]) => `Environment=${systemdQuote(`${name}=${value}`)}`,
  );
  return [
    '# Written by `sundial agent install`; removed by `sundial agent uninstall`.',
    '[Unit]',
    'Description=Sundial agent (automatic time tracking)',
    'After=graphical-session.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${input.command.map(systemdQuote).join(' ')}`,
    ...environment,
    // A start before the desktop is up fails; trying again later is the fix.
    'Restart=on-failure',
    'RestartSec=15',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xmlEscape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function launchdPlist(input: EntryInput, logFile: string): string {
  checkInput(input);
  checkArgument(logFile, 'the log file path');
  const strings = (values: readonly string[]) => values.map((v) => `    <string>${xmlEscape(v)}</string>`);
  const environment = Object.entries(input.environment);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${LAUNCHD_LABEL}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...strings(input.command),
    '  </array>',
    ...(environment.length
      ? [
          '  <key>EnvironmentVariables</key>',
          '  <dict>',
          ...environment.flatMap(([name, value]) => [
            `    <key>${xmlEscape(name)}</key>`,
            `    <string>${xmlEscape(value)}</string>`,
          ]),
          '  </dict>',
        ]
      : []),
    '  <key>RunAtLoad</key>',
    '  <true/>',
    // Restarted after a crash, not after a clean exit (`sundial agent` stopped on purpose).
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>ProcessType</key>',
    '  <string>Interactive</string>',
    '  <key>StandardErrorPath</key>',
    `  <string>${xmlEscape(logFile)}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** cmd.exe: each argument in double quotes (which cannot be escaped inside), % doubled. */
function cmdQuote(value: string): string {
  if (value.includes('"')) throw new AutostartError('a double quote cannot be written to a Windows startup script');
  return `"${value.replace(/%/g, '%%')}"`;
}

export function windowsStartupScript(input: EntryInput): string {
  checkInput(input);
  const environment = Object.entries(input.environment).map(([name, value]) => `set ${cmdQuote(`${name}=${value}`)}`);
  return [
    '@echo off',
    'rem Written by `sundial agent install`; removed by `sundial agent uninstall`.',
    ...environment,
    // `start /min` returns at once and leaves the agent in a minimised window.
    `start "Sundial agent" /min ${input.command.map(cmdQuote).join(' ')}`,
    '',
  ].join('\r\n');
}
