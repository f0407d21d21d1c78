/**
 * Debian's Chromium driven by playwright-core (no browser download). A
 * fresh profile per run, headless, with the flags that keep it from calling
 * home. Without Chromium the end-to-end suite is skipped loudly — except
 * under CI=true, where its absence fails the run (.ci/run installs it).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['SUNDIAL_TEST_CHROMIUM'] ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the suite can run here; under CI=true a missing browser throws instead of answering false. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env['CI'] === 'true') {
    throw new Error(`Chromium is required under CI=true but ${CHROMIUM_PATH} is missing (apt-get install chromium)`);
  }
  const bar = '!'.repeat(78);
  process.stderr.write(
    `\n${bar}\n!! Chromium not found at ${CHROMIUM_PATH}: the web end-to-end suite is SKIPPED.\n` +
      `!! Install it with: apt-get install -y chromium\n${bar}\n\n`,
  );
  return false;
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** A browser at desktop size, light theme, in UTC with a British English locale (fixed, so totals read the same everywhere). */
export async function launchBrowser(options: { timezoneId?: string; locale?: string } = {}): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'sundial-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    timezoneId: options.timezoneId ?? 'UTC',
    locale: options.locale ?? 'en-GB',
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
