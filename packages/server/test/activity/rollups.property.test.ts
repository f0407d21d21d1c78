/**
 * Rollups are kept by deltas in the same transaction as the events
 * (services/activity/writer.ts); they must always equal a recomputation from
 * the raw events. fast-check drives random sequences of batch inserts,
 * replays with changed durations, heartbeat runs, and erases by range, app
 * and domain, on two devices (one person), and after every operation the
 * stored rollups are compared with support.ts's independent recomputation.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  erase,
  heartbeat,
  HOUR,
  ingest,
  iso,
  MINUTE,
  newPerson,
  newToken,
  rawEvents,
  recomputeRollups,
  referenceClassifier,
  ALL_DIMENSIONS,
  SECOND,
  settableClock,
  storedRollups,
  T0,
  type Kind,
  type WireEvent,
} from './support.js';
import { randomUUID } from 'node:crypto';

/** Not slot-aligned, so events cross 15-minute slot edges at odd places. */
const BASE = T0 - 6 * HOUR + 7 * MINUTE + 13_457;
const SPAN = 75 * MINUTE;

// A default-categorised editor, an uncategorised app, and a browser (its time goes by site).
const APPS = ['code', 'Term', 'firefox'] as const;
const TITLES = ['a', 'b', 'c'] as const;
const URLS = ['https://github.com/a', 'https://www.youtube.com/b', 'https://github.com/c', 'https://three.example/'];
const DOMAINS = ['github.com', 'youtube.com', 'three.example'] as const;

interface EventSpec {
  kind: Kind;
  offset: number;
  durationMs: number;
  app: number;
  title: number;
  url: number;
  afk: boolean;
}

type Op =
  | { type: 'batch'; device: number; events: EventSpec[] }
  | { type: 'replay'; batch: number; durations: number[] }
  | {
      type: 'beats';
      device: number;
      kind: Kind;
      offset: number;
      pulsetime: number;
      beats: { stepMs: number; durationMs: number; variant: number }[];
    }
  | { type: 'eraseRange'; offset: number; lengthMs: number }
  | { type: 'eraseApp'; app: number }
  | { type: 'eraseDomain'; domain: number };

const kindArb = fc.constantFrom<Kind>('window', 'window', 'web', 'away', 'away');
const offsetArb = fc.integer({ min: 0, max: SPAN });
const durationArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 5 * MINUTE }),
  fc.integer({ min: 5 * MINUTE, max: 40 * MINUTE }),
);

const eventArb: fc.Arbitrary<EventSpec> = fc.record({
  kind: kindArb,
  offset: offsetArb,
  durationMs: durationArb,
  app: fc.nat({ max: APPS.length - 1 }),
  title: fc.nat({ max: TITLES.length - 1 }),
  url: fc.nat({ max: URLS.length - 1 }),
  afk: fc.constantFrom(true, true, true, false),
});

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('batch' as const),
      device: fc.nat({ max: 1 }),
      events: fc.array(eventArb, { minLength: 1, maxLength: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('replay' as const),
      batch: fc.nat(),
      durations: fc.array(durationArb, { minLength: 6, maxLength: 6 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('beats' as const),
      device: fc.nat({ max: 1 }),
      kind: kindArb,
      offset: offsetArb,
      pulsetime: fc.constantFrom(0, 2, 5, 60, 185),
      beats: fc.array(
        fc.record({
          stepMs: fc.integer({ min: -5 * SECOND, max: 90 * SECOND }),
          durationMs: fc.integer({ min: 0, max: 30 * SECOND }),
          variant: fc.constantFrom(0, 0, 0, 1),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('eraseRange' as const),
      offset: offsetArb,
      lengthMs: fc.integer({ min: 1, max: HOUR }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('eraseApp' as const), app: fc.nat({ max: APPS.length - 1 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('eraseDomain' as const), domain: fc.nat({ max: DOMAINS.length - 1 }) }),
  },
);

function wire(spec: EventSpec): WireEvent {
  const start = iso(BASE + spec.offset);
  const duration = spec.durationMs / 1000;
  const id = randomUUID();
  switch (spec.kind) {
    case 'window':
      return { id, kind: 'window', start, duration, data: { app: APPS[spec.app], title: TITLES[spec.title] } };
    case 'web':
      return { id, kind: 'web', start, duration, data: { url: URLS[spec.url], title: TITLES[spec.title] } };
    case 'away':
      return { id, kind: 'away', start, duration, data: { status: spec.afk ? 'afk' : 'not-afk' } };
  }
}

function beatData(kind: Kind, variant: number, device: number): Record<string, unknown> {
  switch (kind) {
    case 'window':
      return { app: APPS[(variant + device) % APPS.length], title: TITLES[variant] };
    case 'web':
      return { url: URLS[variant] };
    case 'away':
      return { status: variant === 0 ? 'not-afk' : 'afk' };
  }
}

eachDatabase('rollups equal a recomputation from raw events', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ kind, now: settableClock().now });
  });
  afterAll(async () => t.close());

  it('after any sequence of batches, replays, heartbeats and erases', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        const me = await newPerson(t, 'rollups');
        const tokens = [(await newToken(t, me)).token, (await newToken(t, me, ['ingest'], 'desktop')).token];
        const sent: { device: number; events: WireEvent[] }[] = [];
        for (const [step, op] of ops.entries()) {
          switch (op.type) {
            case 'batch': {
              const events = op.events.map(wire);
              await ingest(t, tokens[op.device] as string, events);
              sent.push({ device: op.device, events });
              break;
            }
            case 'replay': {
              const batch = sent[op.batch % Math.max(1, sent.length)];
              if (!batch) break;
              const events = batch.events.map((e, i) => ({ ...e, duration: (op.durations[i] ?? 0) / 1000 }));
              const answer = await ingest(t, tokens[batch.device] as string, events);
              expect(answer.accepted + answer.replaced).toBe(events.length);
              batch.events = events;
              break;
            }
            case 'beats': {
              let at = BASE + op.offset;
              for (const b of op.beats) {
                at += b.stepMs;
                await heartbeat(
                  t,
                  tokens[op.device] as string,
                  {
                    kind: op.kind,
                    start: iso(at),
                    duration: b.durationMs / 1000,
                    data: beatData(op.kind, b.variant, op.device),
                  },
                  op.pulsetime,
                );
              }
              break;
            }
            case 'eraseRange':
              await erase(t, me.cookie, { from: iso(BASE + op.offset), to: iso(BASE + op.offset + op.lengthMs) });
              break;
            case 'eraseApp':
              await erase(t, me.cookie, { app: APPS[op.app] });
              break;
            case 'eraseDomain':
              await erase(t, me.cookie, { domain: DOMAINS[op.domain] });
              break;
          }
          const events = await rawEvents(t, me.id);
          const expected = recomputeRollups(events, await referenceClassifier(t, me.id, events));
          const stored = await storedRollups(t, me.id, ALL_DIMENSIONS);
          expect(stored, `after step ${step} (${op.type})`).toEqual(expected);
        }
      }),
      { numRuns: 15, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true },
    );
  }, 240_000);

  it('the recomputation itself: away time of the same device only, split at slot edges', () => {
    const slot = 15 * MINUTE;
    const s0 = Math.floor(BASE / slot) * slot + slot; // a slot edge
    const row = (over: Partial<Parameters<typeof recomputeRollups>[0][number]>) => ({
      seq: 0,
      uid: '',
      deviceId: 'd1',
      bucketId: '',
      kind: 'window',
      start: 0,
      end: 0,
      appId: null,
      titleId: null,
      domainId: null,
      urlId: null,
      away: null,
      ...over,
    });
    expect(
      recomputeRollups([
        row({ kind: 'window', start: s0 - 5 * MINUTE, end: s0 + 10 * MINUTE, appId: 7 }),
        row({ kind: 'away', start: s0 + 2 * MINUTE, end: s0 + 4 * MINUTE, away: true }),
        row({ kind: 'away', start: s0 - 4 * MINUTE, end: s0 - 3 * MINUTE, away: false }),
        row({ kind: 'away', deviceId: 'd2', start: s0 - 5 * MINUTE, end: s0 + 10 * MINUTE, away: true }),
        row({ kind: 'web', start: s0 + 3 * MINUTE, end: s0 + 20 * MINUTE, domainId: 9 }),
        row({ kind: 'web', start: s0, end: s0 + MINUTE, domainId: null }),
      ]),
    ).toEqual([
      { dimension: 'app', slot: s0 - slot, key: 7, ms: 5 * MINUTE },
      { dimension: 'app', slot: s0, key: 7, ms: 8 * MINUTE },
      { dimension: 'away', slot: s0 - slot, key: 0, ms: 5 * MINUTE },
      { dimension: 'away', slot: s0, key: 0, ms: 12 * MINUTE },
      { dimension: 'domain', slot: s0, key: 9, ms: 11 * MINUTE },
      { dimension: 'domain', slot: s0 + slot, key: 9, ms: 5 * MINUTE },
    ]);
  });
});
