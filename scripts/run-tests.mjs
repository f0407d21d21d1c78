// Runs every test suite once (vitest: unit, store on SQLite and PostgreSQL,
// HTTP, real processes) and ends with the one line CI reads:
// "N passed, N failed, N skipped". A run that executes no test fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const resultFile = '.test-results/vitest.json';
mkdirSync('.test-results', { recursive: true });
rmSync(resultFile, { force: true });

const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${resultFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(resultFile, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no test results but is a failure all the same.
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
  }
} catch (error) {
  console.error(`could not read the test report ${resultFile}: ${error.message}`);
  failed += 1;
}
if (run.status !== 0 && failed === 0) failed = 1;

console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
