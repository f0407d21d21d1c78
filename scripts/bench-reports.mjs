// Reports over a generated year (part of `npm run bench`; needs `npm run build`).
//
// A person with a year of data as the reports issue describes it: 8 active
// hours a day, an app switch every 40 s (≈ 263 000 window events), the
// browser's share with web events over it, and a 45-minute afk break a day.
// It is ingested through the API, then each report is timed over HTTP on
// loopback (median of 25 runs after a warm-up), and finally a rules change
// re-categorises the whole year in the background. No timing is asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agent, benchPerson, request, startBenchServer } from './bench-http.mjs';
import { day } from './bench-year.mjs';

const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const RUNS = 25;
const DAY = 86_400_000;

async function median(label, send) {
  for (let i = 0; i < 3; i++) await send();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = await send();
    times.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${label}: ${res.status} ${res.body}`);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms`);
  return ms;
}

const dir = mkdtempSync(join(tmpdir(), 'sundial-bench-reports-'));
try {
  const { server, port } = await startBenchServer(dir);
  const { cookie, auth } = await benchPerson(port, ['ingest', 'read']);

  const first = Date.UTC(2025, 0, 1);
  let batch = [];
  let total = 0;
  const begun = performance.now();
  const flush = async () => {
    const res = await request(port, 'POST', '/api/v1/events', { events: batch }, auth);
    if (res.status !== 200) throw new Error(`batch: ${res.status} ${res.body}`);
    total += batch.length;
    batch = [];
  };
  for (let d = 0; d < DAYS; d++) {
    batch.push(...day(d, first + d * DAY + 9 * 3_600_000));
    if (batch.length >= 9_000) await flush();
  }
  if (batch.length > 0) await flush();
  const loadSeconds = (performance.now() - begun) / 1000;

  const last = new Date(first + (DAYS - 1) * DAY).toISOString().slice(0, 10);
  const mid = new Date(first + Math.floor(DAYS / 2) * DAY).toISOString().slice(0, 10);
  const get = (path) => () => request(port, 'GET', path, undefined, auth);
  console.log(
    `\nReports over a generated year (${DAYS} days, ${total} events ingested in ${loadSeconds.toFixed(0)} s; loopback HTTP, median of ${RUNS})`,
  );
  await median(
    'summary, the whole year (Europe/Berlin)',
    get(`/api/v1/reports/summary?from=2025-01-01&to=${last}&tz=Europe/Berlin`),
  );
  await median('summary, one day', get(`/api/v1/reports/summary?from=${mid}&to=${mid}&tz=Europe/Berlin`));
  await median('timeline, one day (720 blocks)', get(`/api/v1/reports/timeline?date=${mid}&tz=Europe/Berlin`));
  await median(
    'trend, the whole year by week',
    get(`/api/v1/reports/trend?from=2025-01-01&to=${last}&tz=Europe/Berlin&bucket=week`),
  );
  await median(
    'analytic data, the year ranked by activity',
    get(`/api/v1/analytic-data?restrict_begin=2025-01-01&restrict_end=${last}`),
  );

  // A rules change re-categorises the year in the background; time until the API says it is current.
  const started = performance.now();
  const rule = await request(
    port,
    'POST',
    '/api/v1/rules',
    { field: 'app', match: 'exact', pattern: 'Spotify', categoryId: null, level: -2 },
    { cookie },
  );
  if (rule.status !== 201) throw new Error(`rule: ${rule.status} ${rule.body}`);
  for (;;) {
    const status = JSON.parse((await request(port, 'GET', '/api/v1/categorisation', undefined, auth)).body);
    if (status.state === 'current') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const recategorised = (performance.now() - started) / 1000;
  console.log(
    `${'re-categorisation of the whole year after a rule change'.padEnd(58)} ${recategorised.toFixed(1).padStart(8)} s`,
  );
  await server.close();
} finally {
  agent.destroy();
  rmSync(dir, { recursive: true, force: true });
}
