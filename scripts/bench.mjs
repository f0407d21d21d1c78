// `npm run bench`: runs every benchmark (packages/*/bench/*.bench.ts) once,
// then ingest over HTTP (scripts/bench-ingest.mjs) and reports over a
// generated year (scripts/bench-reports.mjs), the web dashboard over a
// generated year (scripts/bench-dashboard.mjs), and prints their figures.
// Benchmarks never run as tests and assert no timings; their numbers go to
// docs/performance.md by hand, with the machine.
import { spawnSync } from 'node:child_process';

const vitest = spawnSync('npx', ['vitest', 'bench', '--run', ...process.argv.slice(2)], { stdio: 'inherit' });
const ingest = spawnSync(process.execPath, ['scripts/bench-ingest.mjs'], { stdio: 'inherit' });
const reports = spawnSync(process.execPath, ['scripts/bench-reports.mjs'], { stdio: 'inherit' });
const dashboard = spawnSync(process.execPath, ['scripts/bench-dashboard.mjs'], { stdio: 'inherit' });
process.exitCode = vitest.status || ingest.status || reports.status || dashboard.status || 0;
