// The web dashboard over a generated year (part of `npm run bench`; needs
// `npm run build` and Debian's Chromium).
//
// Prints the initial JavaScript the browser downloads (gzipped, from the
// Vite build) and the time from navigation to the dashboard drawn with its
// data (the page's `sundial:dashboard-rendered` mark: reports fetched over
// loopback and every chart committed to the DOM), median of 7 cold page
// loads, for the whole year and for one day of it, and how much of it is
// drawing after the last report arrived. No timing is asserted.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { agent, benchPerson, request, startBenchServer } from './bench-http.mjs';
import { day } from './bench-year.mjs';

const DAYS = Number(process.env.BENCH_DAYS ?? 365);
const RUNS = 7;
const DAY = 86_400_000;
const CHROMIUM = process.env.SUNDIAL_TEST_CHROMIUM ?? '/usr/bin/chromium';
const WEB = 'packages/web/dist';

/** The entry script and stylesheet index.html loads, gzipped: what a first visit costs before any page chunk. */
function initialAssets() {
  const html = readFileSync(join(WEB, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const sizes = files.map((file) => {
    const body = readFileSync(join(WEB, file));
    return { file, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
  return sizes;
}

async function renderTime(page, url) {
  await page.goto(url);
  // A function, not a string: the page's CSP forbids eval, and a function is passed over the protocol.
  await page.waitForFunction(() => performance.getEntriesByName('sundial:dashboard-rendered').length > 0, undefined, {
    timeout: 60_000,
  });
  return page.evaluate(() => {
    const rendered = performance.getEntriesByName('sundial:dashboard-rendered')[0].startTime;
    const reports = performance
      .getEntriesByType('resource')
      .filter((entry) => entry.name.includes('/api/v1/'))
      .map((entry) => entry.responseEnd);
    return { total: rendered, drawing: rendered - Math.max(...reports) };
  });
}

async function median(label, page, url) {
  await renderTime(page, url); // warm-up: caches the assets, as a returning visitor has them
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await renderTime(page, url));
  const middle = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const total = middle(runs.map((r) => r.total));
  const drawing = middle(runs.map((r) => r.drawing));
  console.log(
    `${label.padEnd(58)} ${total.toFixed(0).padStart(8)} ms (drawing after the last report: ${drawing.toFixed(0)} ms)`,
  );
}

if (!existsSync(join(WEB, 'index.html'))) throw new Error(`${WEB} is missing: run npm run build first`);
console.log('\nWeb dashboard: initial JavaScript and CSS (gzip -9)');
for (const asset of initialAssets()) {
  console.log(
    `${asset.file.padEnd(58)} ${(asset.gzip / 1024).toFixed(1).padStart(8)} KB (${(asset.raw / 1024).toFixed(0)} KB raw)`,
  );
}

if (!existsSync(CHROMIUM)) {
  console.log(`Chromium not found at ${CHROMIUM}: dashboard render times skipped (apt-get install chromium)`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'sundial-bench-dashboard-'));
  const profile = mkdtempSync(join(tmpdir(), 'sundial-bench-chromium-'));
  let browser;
  try {
    const { server, port } = await startBenchServer(dir);
    const { cookie, auth } = await benchPerson(port, ['ingest']);
    const first = Date.UTC(2025, 0, 1);
    let batch = [];
    let total = 0;
    for (let d = 0; d < DAYS; d++) {
      batch.push(...day(d, first + d * DAY + 9 * 3_600_000));
      if (batch.length >= 9_000) {
        const res = await request(port, 'POST', '/api/v1/events', { events: batch }, auth);
        if (res.status !== 200) throw new Error(`batch: ${res.status} ${res.body}`);
        total += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await request(port, 'POST', '/api/v1/events', { events: batch }, auth);
      total += batch.length;
    }
    const base = `http://127.0.0.1:${port}`;
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 800 },
      timezoneId: 'UTC',
    });
    const eq = cookie.indexOf('=');
    await browser.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), url: base }]);
    const page = browser.pages()[0] ?? (await browser.newPage());
    const last = new Date(first + (DAYS - 1) * DAY).toISOString().slice(0, 10);
    const mid = new Date(first + Math.floor(DAYS / 2) * DAY).toISOString().slice(0, 10);
    console.log(
      `\nWeb dashboard over a generated year (${DAYS} days, ${total} events; Chromium, median of ${RUNS} loads)`,
    );
    await median('dashboard, the whole year (trend by week)', page, `${base}/?from=2025-01-01&to=${last}`);
    await median('dashboard, one day (timeline of 720 blocks)', page, `${base}/?from=${mid}&to=${mid}`);
    await browser.close();
    browser = undefined;
    await server.close();
  } finally {
    await browser?.close();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
