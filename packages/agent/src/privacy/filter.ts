/**
 * What of an activity may be written to the queue: the person's privacy
 * settings (core's filter) applied to a window, web or away event's data,
 * giving the data object the server's ingest expects, or null to record
 * nothing. A title or URL the detail level excludes is gone before the
 * queue sees the event.
 *
 * The server requires a web event's `url`: below `full` detail the agent
 * sends only the scheme and host (`domain`) or an empty url (`app`), which the
 * server reduces the same way again.
 */
import type { ActivityContent, CompiledPrivacy } from '@sundial/core';
import type { EventKind } from '../queue/queue.js';
import { cleanText } from '../text.js';

/** Fields of a web event kept beside url and title (aw-watcher-web's flags and counts). */
const WEB_FLAGS = ['audible', 'incognito', 'tabCount'];

export function filterData(
  privacy: CompiledPrivacy,
  kind: EventKind,
  data: Readonly<Record<string, unknown>>,
): Record<string, unknown> | null {
  if (kind === 'away') {
    if (privacy.apply('away', {}) === null) return null;
    return { status: data.status === 'not-afk' ? 'not-afk' : 'afk' };
  }
  const content = contentOf(data);
  const kept = privacy.apply(kind, content);
  if (kept === null) return null;
  if (kind === 'window') {
    const out: Record<string, unknown> = { app: kept.app ?? content.app ?? '' };
    if (kept.title !== undefined) out.title = kept.title;
    if (kept.url !== undefined) out.url = kept.url;
    return out;
  }
  const out: Record<string, unknown> = { url: webUrl(privacy.settings.detail, content, kept) };
  if (kept.title !== undefined) out.title = kept.title;
  for (const flag of WEB_FLAGS) {
    const value = data[flag];
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[flag] = value;
  }
  return out;
}

function contentOf(data: Readonly<Record<string, unknown>>): ActivityContent {
  const content: { app?: string; title?: string; url?: string } = {};
  for (const field of ['app', 'title', 'url'] as const) {
    const value = data[field];
    if (typeof value === 'string') content[field] = cleanText(value);
  }
  return content;
}

function webUrl(detail: string, content: ActivityContent, kept: ActivityContent): string {
  if (detail === 'full') return kept.url ?? '';
  if (detail === 'domain' && kept.domain !== undefined) {
    let scheme = 'https:';
    try {
      scheme = new URL(content.url ?? '').protocol;
    } catch {
      // no parsable url: https is the usual scheme
    }
    return `${scheme}//${kept.domain}/`;
  }
  return '';
}
