/**
 * Decoding of the X11 window properties the watcher reads: text (UTF8_STRING
 * or Latin-1 STRING), WM_CLASS and 32-bit cardinals. Pure functions over the
 * bytes the server sent, which any client on the display can set to anything.
 */
import type { PropertyValue } from './x11-connection.js';

/** Most a title property is read up to; the agent truncates far shorter. */
export const MAX_TEXT_BYTES = 16 * 1024;

const REPLACEMENT = '\uFFFD';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of a title property. `_NET_WM_NAME` is UTF-8 by definition whatever
 * type its writer claimed (xdotool, for one, stores it as STRING), so it is
 * decoded as UTF-8 with invalid sequences replaced. WM_NAME is Latin-1 STRING
 * by the old rules, yet many clients put UTF-8 there: valid UTF-8 is read as
 * such, anything else as Latin-1 (which also keeps COMPOUND_TEXT's ASCII).
 */
export function decodeText(value: PropertyValue, alwaysUtf8: boolean): string {
  if (value.format !== 8) return '';
  let text: string;
  if (alwaysUtf8) text = value.data.toString('utf8');
  else {
    try {
      text = strictUtf8.decode(value.data);
    } catch {
      text = value.data.toString('latin1');
    }
  }
  // A property cut at MAX_TEXT_BYTES may end inside a character.
  if (value.bytesAfter > 0 && text.endsWith(REPLACEMENT)) text = text.slice(0, -1);
  // Some clients store a terminating NUL; NULs inside are not text either.
  return text.replaceAll('\0', '');
}

/** WM_CLASS holds "instance\0class\0"; the class names the application ("XTerm"). */
export function parseWmClass(value: PropertyValue): { instance: string; className: string } | null {
  if (value.format !== 8) return null;
  const parts = value.data.toString('latin1').split('\0');
  const instance = parts[0] ?? '';
  const className = parts[1] ?? '';
  if (!instance && !className) return null;
  return { instance, className: className || instance };
}

/** The first 32-bit value of a format-32 property (a window id, a pid). */
export function firstCardinal(value: PropertyValue): number | null {
  if (value.format !== 32 || value.data.length < 4) return null;
  return value.data.readUInt32LE(0);
}
