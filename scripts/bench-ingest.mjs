// Ingest over HTTP on loopback (part of `npm run bench`; needs `npm run build`).
//
// 1. The floor: a bare Fastify route that inserts one row per request into a
//    SQLite file in WAL mode with the same durability as Sundial's store
//    (synchronous=FULL: a request is answered only after its commit is on disk).
// 2. Sundial's heartbeats, one at a time from one keep-alive client, with a
//    bearer token, privacy filtering, encryption and rollups — printed as a
//    rate and as a fraction of the floor measured in the same run.
// 3. Batched events: POST /api/v1/events with 10 000 events a request.
// No timing is asserted anywhere; the figures go to docs/performance.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { uuidv7 } from '@sundial/core';
import { agent, benchPerson, request, startBenchServer } from './bench-http.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 10);

/** Calls `send(i)` one at a time for SECONDS; answers requests per second. */
async function rate(send) {
  for (let i = 0; i < 200; i++) await send(i); // warm-up
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < SECONDS * 1000) {
    const res = await send(n);
    if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.body}`);
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

async function floor(dir) {
  const db = new BetterSqlite3(join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table beats (id integer primary key, at integer not null, data text not null)');
  const insert = db.prepare('insert into beats (at, data) values (?, ?)');
  const app = Fastify();
  app.post('/beat', async (req) => {
    insert.run(Date.now(), JSON.stringify(req.body));
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = app.server.address().port;
  const perSecond = await rate(() => request(port, 'POST', '/beat', { app: 'Code', title: 'main.ts' }));
  await app.close();
  db.close();
  return perSecond;
}

async function sundial(dir) {
  const { server, port } = await startBenchServer(dir);
  const { auth } = await benchPerson(port, ['ingest']);

  // A window watcher: the same window for a while (merges), a new one every 10th beat (inserts).
  const t0 = Date.now() - 3_600_000;
  const beat = (i) =>
    request(
      port,
      'POST',
      '/api/v1/heartbeats?pulsetime=2',
      {
        kind: 'window',
        start: new Date(t0 + i * 100).toISOString(),
        duration: 0,
        data: { app: 'Code', title: `file-${Math.floor(i / 10) % 500}.ts — project` },
      },
      auth,
    );
  const heartbeats = await rate(beat);

  // Batches of 10 000 window and web events, 500 distinct titles and 50 sites each.
  const start = Date.now() - 20 * 86_400_000;
  let total = 0;
  let at = start;
  const begun = performance.now();
  for (let b = 0; b < BATCHES; b++) {
    const events = [];
    for (let i = 0; i < 10_000; i++) {
      const web = i % 3 === 0;
      events.push({
        // Time-ordered ids, as Sundial's agent makes them (ARCHITECTURE.md).
        id: uuidv7(Date.now(), randomBytes(10)),
        kind: web ? 'web' : 'window',
        start: new Date(at).toISOString(),
        duration: 5,
        data: web
          ? { url: `https://site-${i % 50}.example.com/page/${i % 500}`, title: `Page ${i % 500}`, audible: false }
          : { app: `App ${i % 20}`, title: `Document ${i % 500}` },
      });
      if (!web) at += 5_000;
    }
    const res = await request(port, 'POST', '/api/v1/events', { events }, auth);
    if (res.status !== 200) throw new Error(`batch: ${res.status} ${res.body}`);
    total += events.length;
  }
  const batched = total / ((performance.now() - begun) / 1000);
  await server.close();
  return { heartbeats, batched };
}

const dir = mkdtempSync(join(tmpdir(), 'sundial-bench-ingest-'));
try {
  const bare = await floor(dir);
  const ours = await sundial(dir);
  const line = (label, value, unit) => console.log(`${label.padEnd(58)} ${value.toFixed(0).padStart(8)} ${unit}`);
  console.log('\nIngest over HTTP (loopback, one keep-alive client, SQLite WAL, synchronous=FULL)');
  line('floor: bare Fastify route, one row insert per request', bare, 'req/s');
  line('Sundial heartbeats (token, privacy, encryption, rollups)', ours.heartbeats, 'req/s');
  console.log(
    `${'Sundial heartbeats as a fraction of the floor'.padEnd(58)} ${(ours.heartbeats / bare).toFixed(2).padStart(8)}`,
  );
  line(`Sundial batched events (${BATCHES} × 10 000 per request)`, ours.batched, 'events/s');
} finally {
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}
