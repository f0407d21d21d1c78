// Writes docs/api/openapi.json from the route schemas of the built server.
// `--check` fails instead when the file is out of date (CI runs the test
// that does the same comparison).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildApp, createServices, loadConfig, openKeyring } from '@sundial/server';
import { openStore } from '@sundial/store';

const dir = mkdtempSync(join(tmpdir(), 'sundial-openapi-'));
try {
  const config = loadConfig({
    env: { SUNDIAL_DATA_DIR: dir, SUNDIAL_LOG_LEVEL: 'silent', SUNDIAL_MASTER_KEY: randomBytes(32).toString('base64') },
  });
  const store = await openStore(config.database);
  const services = createServices(store, await openKeyring({ repo: store.keyring, source: config.masterKey }), config);
  const { app } = await buildApp(config, { store, services });
  await app.ready();
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  const target = 'docs/api/openapi.json';
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== text) {
      console.error(`${target} is out of date: run npm run openapi`);
      process.exitCode = 1;
    }
  } else {
    mkdirSync('docs/api', { recursive: true });
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
