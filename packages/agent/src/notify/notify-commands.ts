/**
 * The command that shows a desktop notification on each platform, as an
 * argument vector: notify-send on Linux and the BSDs, osascript on macOS, a
 * PowerShell toast on Windows. Text is bounded and stripped of control
 * characters here; it never passes through a shell.
 */

export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

export interface NotifierCommand {
  readonly command: string;
  readonly args: readonly string[];
}

export const TITLE_LIMIT = 100;
export const BODY_LIMIT = 500;

/** Control characters except the newline a body may use; they mean nothing to a notification. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** Cuts text to `limit` UTF-16 units (not splitting a surrogate pair), ending with … when cut. */
export function boundText(value: string, limit: number, keepNewlines = false): string {
  let text = value.replace(CONTROL, ' ');
  if (!keepNewlines) text = text.replace(/\n/g, ' ');
  text = text.trim();
  if (text.length <= limit) return text;
  let cut = limit - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

export function boundNotification(text: NotificationText): NotificationText {
  return { title: boundText(text.title, TITLE_LIMIT) || 'Sundial', body: boundText(text.body, BODY_LIMIT, true) };
}

/** osascript reads an argument that starts with '-' as an option of its own. */
function notAnOption(text: string): string {
  return text.startsWith('-') ? ` ${text}` : text;
}

/** PowerShell's AppUserModelID: a toast needs a registered one, and PowerShell's always is. */
const POWERSHELL_APP_ID = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe';

function windowsToastScript(text: NotificationText): string {
  // The text travels as base64 of UTF-8: nothing in it can end a PowerShell string.
  const literal = (value: string) =>
    `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(value, 'utf8').toString('base64')}'))`;
  return [
    '$ErrorActionPreference = "Stop"',
    '[void][Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]',
    '$template = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)',
    "$lines = $template.GetElementsByTagName('text')",
    `[void]$lines.Item(0).AppendChild($template.CreateTextNode(${literal(text.title)}))`,
    `[void]$lines.Item(1).AppendChild($template.CreateTextNode(${literal(text.body)}))`,
    '$toast = [Windows.UI.Notifications.ToastNotification]::new($template)',
    `[Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('${POWERSHELL_APP_ID}').Show($toast)`,
  ].join('\n');
}

/** The notifier command for a platform, or null where there is none. */
export function notifierCommand(platform: NodeJS.Platform, raw: NotificationText): NotifierCommand | null {
  const text = boundNotification(raw);
  switch (platform) {
    case 'darwin':
      return {
        command: '/usr/bin/osascript',
        args: [
          '-e',
          'on run argv',
          '-e',
          'display notification (item 2 of argv) with title (item 1 of argv)',
          '-e',
          'end run',
          notAnOption(text.title),
          notAnOption(text.body),
        ],
      };
    case 'win32':
      return {
        command: 'powershell.exe',
        args: [
          '-NoProfile',
          '-NonInteractive',
          '-EncodedCommand',
          Buffer.from(windowsToastScript(text), 'utf16le').toString('base64'),
        ],
      };
    case 'linux':
    case 'freebsd':
    case 'openbsd':
    case 'netbsd':
      // `--` ends the options: a title starting with '-' stays a title.
      return { command: 'notify-send', args: ['--app-name=Sundial', '--', text.title, text.body] };
    default:
      return null;
  }
}
