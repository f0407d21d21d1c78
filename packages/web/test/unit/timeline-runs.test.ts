/**
 * The timeline's runs: back-to-back blocks of one device in one category
 * join, a gap, another category or another device starts a new run, and a
 * run lists its apps longest first.
 */
import { describe, expect, it } from 'vitest';
import type { Timeline } from '../../src/api/types';
import { timelineRuns } from '../../src/pages/dashboard/timeline-runs';

type Block = Timeline['blocks'][number];
const IDE = { id: 'editing-ides', name: 'Editing & IDEs' };
const CHAT = { id: 'chat', name: 'Chat' };

function block(from: string, to: string, app: string, category: Block['category'], device = 'laptop'): Block {
  const start = `2026-03-02T${from}:00.000Z`;
  const end = `2026-03-02T${to}:00.000Z`;
  const seconds = (Date.parse(end) - Date.parse(start)) / 1000;
  return { start, end, seconds, device, app, title: null, domain: null, category, level: 0 };
}

describe('timeline runs', () => {
  it('joins back-to-back blocks of one category and lists the apps longest first', () => {
    const runs = timelineRuns([
      block('09:00', '09:10', 'Terminal', IDE),
      block('09:10', '09:40', 'Code', IDE),
      block('09:40', '09:45', 'Terminal', IDE),
    ]);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      start: '2026-03-02T09:00:00.000Z',
      end: '2026-03-02T09:45:00.000Z',
      seconds: 2700,
    });
    expect(runs[0]?.apps).toEqual([
      { name: 'Code', seconds: 1800 },
      { name: 'Terminal', seconds: 900 },
    ]);
  });

  it('starts a new run at another category, after a gap, and per device', () => {
    const runs = timelineRuns([
      block('09:00', '09:10', 'Code', IDE),
      block('09:10', '09:20', 'Slack', CHAT),
      block('09:30', '09:40', 'Slack', CHAT),
      block('09:05', '09:15', 'Code', IDE, 'desktop'),
      block('09:15', '09:25', 'Code', IDE, 'desktop'),
    ]);
    expect(runs.map((r) => [r.device, r.category?.id, r.start.slice(11, 16), r.end.slice(11, 16)])).toEqual([
      ['laptop', 'editing-ides', '09:00', '09:10'],
      ['desktop', 'editing-ides', '09:05', '09:25'],
      ['laptop', 'chat', '09:10', '09:20'],
      ['laptop', 'chat', '09:30', '09:40'],
    ]);
  });

  it('keeps uncategorised time as its own runs', () => {
    const runs = timelineRuns([block('10:00', '10:05', 'mystery', null), block('10:05', '10:10', 'riddle', null)]);
    expect(runs).toHaveLength(1);
    expect(runs[0]?.category).toBeNull();
  });
});
