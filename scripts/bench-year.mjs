// The generated year the report and dashboard benchmarks share: 8 active
// hours a day from 09:00 UTC, an app switch every 40 s, web events under the
// browser's windows, and a 45-minute afk break a day.
import { randomBytes } from 'node:crypto';
import { uuidv7 } from '@sundial/core';

const APPS = [
  { app: 'code', weight: 30 },
  { app: 'gnome-terminal', weight: 15 },
  {
    app: 'firefox',
    weight: 30,
    sites: ['github.com', 'docs.python.org', 'www.youtube.com', 'news.ycombinator.com', 'mail.google.com'],
  },
  { app: 'Slack', weight: 10 },
  { app: 'libreoffice-writer', weight: 8 },
  { app: 'Spotify', weight: 7 },
];
const WEIGHTS = APPS.flatMap((a, i) => Array(a.weight).fill(i));

/** One day's events from 09:00 UTC: 720 window events of 40 s, web events under the browser's, a lunch afk. */
export function day(d, start) {
  const events = [];
  const id = () => uuidv7(Date.now(), randomBytes(10));
  const iso = (ms) => new Date(ms).toISOString();
  for (let i = 0; i < 720; i++) {
    const at = start + i * 40_000;
    const spec = APPS[WEIGHTS[(d * 7919 + i * 104729) % WEIGHTS.length]];
    const n = (d * 31 + i) % 400;
    events.push({
      id: id(),
      kind: 'window',
      start: iso(at),
      duration: 40,
      data: { app: spec.app, title: `${spec.app} document ${n}` },
    });
    if (spec.sites) {
      const site = spec.sites[(d + i) % spec.sites.length];
      events.push({
        id: id(),
        kind: 'web',
        start: iso(at),
        duration: 40,
        data: { url: `https://${site}/page/${n}`, title: `Page ${n}`, audible: false },
      });
    }
  }
  const lunch = start + 3 * 3_600_000;
  events.push({ id: id(), kind: 'away', start: iso(start), duration: 3 * 3600, data: { status: 'not-afk' } });
  events.push({ id: id(), kind: 'away', start: iso(lunch), duration: 45 * 60, data: { status: 'afk' } });
  events.push({
    id: id(),
    kind: 'away',
    start: iso(lunch + 45 * 60_000),
    duration: 4.25 * 3600,
    data: { status: 'not-afk' },
  });
  return events;
}
