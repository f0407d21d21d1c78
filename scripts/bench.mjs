// `npm run bench`: runs every benchmark (packages/*/bench/*.bench.ts) once
// and prints their figures. Benchmarks never run as tests and assert no
// timings; their numbers go to docs/performance.md by hand, with the machine.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npx', ['vitest', 'bench', '--run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exitCode = run.status ?? 1;
