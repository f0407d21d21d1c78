/**
 * One working day of activity, sent through the public API like an agent
 * would, with the figures the dashboard must show for it. Apps are ones the
 * default rules know, so categories and levels are fixed:
 * Visual Studio Code and Terminal +2, Slack 0 (chat), VLC −2 (video).
 */
import { randomUUID } from 'node:crypto';

/** A past Monday, so "today" on the machine never matters. */
export const DAY = '2026-03-02';

interface Block {
  readonly kind: 'window' | 'away';
  readonly from: string;
  readonly to: string;
  readonly data: Record<string, unknown>;
}

const BLOCKS: readonly Block[] = [
  { kind: 'window', from: '09:00', to: '11:00', data: { app: 'Visual Studio Code', title: 'report.ts — sundial' } },
  { kind: 'window', from: '11:00', to: '11:30', data: { app: 'Slack', title: 'general (Channel) - Acme - Slack' } },
  { kind: 'away', from: '11:30', to: '12:30', data: { status: 'afk' } },
  { kind: 'window', from: '12:30', to: '13:15', data: { app: 'VLC', title: 'film.mkv - VLC media player' } },
  { kind: 'window', from: '13:15', to: '14:15', data: { app: 'Terminal', title: 'me — -zsh — 80×24' } },
];

const at = (time: string) => Date.parse(`${DAY}T${time}:00Z`);

/** What the dashboard shows for DAY (in UTC): 4 h 15 min active, pulse 76, top app Visual Studio Code. */
export const EXPECTED = {
  activeSeconds: 4 * 3600 + 15 * 60,
  activeText: '4 h 15 min',
  awayText: '1 h',
  // RescueTime's pulse: weights 4 (+2) 2 (0) 0 (−2): (4·3 h + 2·0.5 h + 0·0.75 h) / (4 · 4.25 h) = 76 %.
  pulse: 76,
  topApp: 'Visual Studio Code',
  topAppText: '2 h',
} as const;

export function dayEvents() {
  return BLOCKS.map((b) => ({
    id: randomUUID(),
    kind: b.kind,
    start: new Date(at(b.from)).toISOString(),
    duration: (at(b.to) - at(b.from)) / 1000,
    data: b.data,
  }));
}

/** Sends events with a bearer token (an agent's way in), in batches the server accepts. */
export async function ingest(url: string, token: string, events: readonly unknown[]): Promise<void> {
  for (let i = 0; i < events.length; i += 5000) {
    const res = await fetch(`${url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ events: events.slice(i, i + 5000) }),
    });
    if (!res.ok) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
  }
}
