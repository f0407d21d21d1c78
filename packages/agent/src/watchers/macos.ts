/**
 * The macOS watcher: one long-lived `osascript -l JavaScript` (JXA) helper
 * that prints the frontmost application, its window title and the idle time
 * as a JSON line every second. The application comes from NSWorkspace (no
 * permission needed); the title from System Events, which needs the
 * Accessibility permission and is left empty without it; idle time from
 * CoreGraphics' seconds since the last input event, falling back to IOKit's
 * HIDIdleTime through `ioreg` only when that call is unavailable.
 * Untested on a real Mac: see docs/agent-platforms.md.
 */
import { createHelperWatcher, type PlatformHelperOptions } from './helper-watcher.js';
import type { Watcher } from './types.js';

/** The JXA loop. Output goes through NSFileHandle: JXA's console.log writes to stderr. */
export const MACOS_HELPER_SCRIPT = `
ObjC.import('AppKit');
ObjC.import('CoreGraphics');
const systemEvents = Application('System Events');
const app = Application.currentApplication();
app.includeStandardAdditions = true;
const out = $.NSFileHandle.fileHandleWithStandardOutput;
function write(value) {
  out.writeData($(JSON.stringify(value) + '\\n').dataUsingEncoding($.NSUTF8StringEncoding));
}
function idleSeconds() {
  try {
    // kCGEventSourceStateCombinedSessionState = 0, kCGAnyInputEventType = ~0
    return $.CGEventSourceSecondsSinceLastEventType(0, 4294967295);
  } catch (e) {
    try {
      const line = app.doShellScript("/usr/sbin/ioreg -c IOHIDSystem -d 4 | /usr/bin/awk '/HIDIdleTime/ {print $NF; exit}'");
      return Number(line) / 1e9;
    } catch (e2) {
      return -1;
    }
  }
}
function frontmost() {
  const front = $.NSWorkspace.sharedWorkspace.frontmostApplication;
  if (!front || front.isNil()) return {};
  const pid = front.processIdentifier;
  const name = ObjC.unwrap(front.localizedName) || ObjC.unwrap(front.bundleIdentifier) || '';
  const url = front.executableURL;
  const executable = url && !url.isNil() ? ObjC.unwrap(url.path) : undefined;
  let title = '';
  try {
    const proc = systemEvents.processes.whose({ unixId: pid })[0];
    const windows = proc.windows;
    if (windows.length > 0) title = windows[0].name() || '';
  } catch (e) {
    title = '';
  }
  return { app: name, title: title, pid: pid, executable: executable };
}
for (;;) {
  let reading;
  try {
    reading = frontmost();
  } catch (e) {
    reading = {};
  }
  reading.idle = idleSeconds();
  write(reading);
  delay(1);
}
`;

export type MacosWatcherOptions = PlatformHelperOptions;

export function createMacosWatcher(options: MacosWatcherOptions): Watcher {
  return createHelperWatcher({
    platform: 'macos',
    command: '/usr/bin/osascript',
    args: ['-l', 'JavaScript', '-e', MACOS_HELPER_SCRIPT],
    ...options,
  });
}
