/**
 * End-to-end steps on the settings pages (categories, privacy, devices,
 * security, alerts, your data), driven through the pages as a person would.
 * The main flow in e2e.test.ts calls them in order on its shared page; the
 * dashboard checks go through `openDashboard`, which the flow supplies
 * (it opens the dashboard on the day of the ingested activity and waits
 * until it has loaded).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectAccessible } from './accessibility.js';
import { freshTotpCode, type Person } from './account.js';
import { saveScreenshot } from './screenshots.js';

/** Opens the dashboard on the day of the test's activity and resolves once it shows its figures. */
export type OpenDashboard = () => Promise<void>;

/** Re-categorising history runs in the background; the dashboard catches up within seconds. */
const CATCH_UP_MS = 30_000;

async function visit(page: Page, url: string, path: string, heading: string): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  // Each page loads its data after the first paint; wait for the spinners to go.
  await page.locator('.state-loading').first().waitFor({ state: 'detached', timeout: 15_000 });
}

/** How many elements on the dashboard show exactly this text. */
async function dashboardShows(page: Page, openDashboard: OpenDashboard, text: string): Promise<number> {
  await openDashboard();
  return page.getByText(text, { exact: true }).count();
}

/** Turns on two-factor sign-in on the Security page; keeps the secret on `person` for later codes. */
export async function enableTotp(page: Page, url: string, person: Person): Promise<string[]> {
  await visit(page, url, '/security', 'Security');
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
  await expect.poll(() => page.getByRole('img', { name: 'QR code for your authenticator app' }).count()).toBe(1);
  person.totpSecret = (await page.getByTestId('totp-secret').textContent())?.trim() ?? null;
  await page.getByLabel('Code from the app', { exact: true }).fill(await freshTotpCode(person));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  const codes = page.getByTestId('recovery-codes').locator('code');
  await codes.first().waitFor();
  const recovery = await codes.allTextContents();
  expect(recovery.length).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'I have stored them' }).click();
  await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).waitFor();
  return recovery;
}

/**
 * Adds an exact rule on an app through the Categories page, checks the rule
 * tester names it, and waits until the dashboard shows the new category.
 */
export async function addRuleAndSeeCategory(
  page: Page,
  url: string,
  openDashboard: OpenDashboard,
  rule: { readonly app: string; readonly category: string },
): Promise<void> {
  expect(await dashboardShows(page, openDashboard, rule.category), `${rule.category} before the rule`).toBe(0);

  await visit(page, url, '/categories', 'Categories & rules');
  await page.locator('#new-rule-field').selectOption('app');
  await page.locator('#new-rule-match').selectOption('exact');
  await page.locator('#new-rule-pattern').fill(rule.app);
  await page.locator('#new-rule-category').selectOption({ label: rule.category });
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();

  // The tester was filled from the exact pattern; once saved, the answer is the new rule.
  const answer = page.getByTestId('rule-test-result');
  await expect.poll(() => answer.textContent(), { timeout: 10_000 }).toContain(`decided by your rule`);
  expect(await answer.textContent()).toContain(rule.category);
  await expect.poll(() => page.getByRole('cell', { name: rule.category }).count()).toBeGreaterThan(0);

  await expect
    .poll(() => dashboardShows(page, openDashboard, rule.category), { timeout: CATCH_UP_MS, interval: 1000 })
    .toBeGreaterThan(0);
}

/** Erases one app on the Privacy page (the confirmation names it) and checks the dashboard no longer lists it. */
export async function eraseAppAndSeeItGone(
  page: Page,
  url: string,
  openDashboard: OpenDashboard,
  app: string,
): Promise<void> {
  expect(await dashboardShows(page, openDashboard, app), `${app} before erasing`).toBeGreaterThan(0);

  await visit(page, url, '/settings/privacy', 'Privacy');
  await page.getByRole('radio', { name: 'One app' }).check();
  await page.getByLabel('App name').fill(app);
  await page.getByRole('button', { name: 'Erase…' }).click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.textContent()).toContain(`“${app}”`);
  await dialog.getByRole('button', { name: 'Erase for good' }).click();
  await expect.poll(() => page.getByText(/^Erased \(\d+ events?\)\.$/).count()).toBe(1);

  await expect.poll(() => dashboardShows(page, openDashboard, app), { timeout: CATCH_UP_MS, interval: 1000 }).toBe(0);
}

/** Downloads the JSON export from Your data and answers the parsed document. */
export async function exportJson(page: Page, url: string): Promise<Record<string, unknown>> {
  await visit(page, url, '/data', 'Your data');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export everything (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  const file = await download.path();
  const document = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  expect(document['format']).toBe('sundial-export');
  return document;
}

/** A small ActivityWatch export: one window bucket with one event on `day`. */
function activityWatchExport(day: string): string {
  const bucket = 'aw-watcher-window_old-laptop';
  return JSON.stringify({
    buckets: {
      [bucket]: {
        id: bucket,
        created: `${day}T08:00:00Z`,
        type: 'currentwindow',
        client: 'aw-watcher-window',
        hostname: 'old-laptop',
        events: [{ timestamp: `${day}T15:00:00Z`, duration: 600, data: { app: 'Inkscape', title: 'logo.svg' } }],
      },
    },
  });
}

/**
 * Imports on Your data: an ActivityWatch export is added (the summary says
 * what came in); a Sundial export into an account with activity is refused
 * with the server's words.
 */
export async function importFiles(page: Page, url: string, day: string, sundialExport: unknown): Promise<void> {
  await visit(page, url, '/data', 'Your data');
  const file = page.getByLabel('Export file');
  const importButton = page.getByRole('button', { name: 'Import', exact: true });
  await file.setInputFiles({
    name: 'aw-buckets-export.json',
    mimeType: 'application/json',
    buffer: Buffer.from(activityWatchExport(day)),
  });
  await importButton.click();
  await page.getByText('Imported 1 events into 1 new and 0 existing buckets', { exact: false }).waitFor();

  await file.setInputFiles({
    name: 'sundial-export.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(sundialExport)),
  });
  await importButton.click();
  const refusal = page.locator('.form-error');
  await refusal.waitFor();
  expect((await refusal.textContent())?.length ?? 0).toBeGreaterThan(10);
}

/** An accessibility check and a screenshot (docs/screenshots/<name>.png) of each settings page. */
export async function tourSettingsPages(page: Page, url: string): Promise<void> {
  const pages = [
    ['/categories', 'Categories & rules', 'categories'],
    ['/settings/privacy', 'Privacy', 'privacy'],
    ['/devices', 'Devices', 'devices'],
    ['/security', 'Security', 'security'],
    ['/alerts', 'Alerts & goals', 'alerts'],
    ['/data', 'Your data', 'data'],
  ] as const;
  for (const [path, heading, name] of pages) {
    await visit(page, url, path, heading);
    await expectAccessible(page, path);
    await saveScreenshot(page, name, { fullPage: true });
  }
}

/**
 * The pairing link fills in its code (an unknown one here, so the answer is
 * the plain "no device is waiting"); then a device is revoked on the Devices
 * page and moves to the revoked list.
 */
export async function pairLinkAndRevokeDevice(page: Page, url: string, device: string): Promise<void> {
  await visit(page, url, '/devices/pair?code=abcd-2345', 'Pair a device');
  expect(await page.getByLabel('Pairing code').inputValue()).toBe('ABCD-2345');
  await page.getByRole('button', { name: 'Approve', exact: true }).click();
  await page.getByText('No device is waiting with that code.', { exact: false }).waitFor();

  await visit(page, url, '/devices', 'Devices');
  await page.getByRole('button', { name: `Revoke ${device}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke device' }).click();
  await expect.poll(() => page.getByTestId('revoked-devices').textContent()).toContain(device);
  expect(await page.getByRole('button', { name: `Revoke ${device}` }).count()).toBe(0);
}

/** Adds an alert on the Alerts page and checks it is listed in words. */
export async function addAlert(page: Page, url: string): Promise<void> {
  await visit(page, url, '/alerts', 'Alerts & goals');
  await page.locator('#new-alert-name').fill('Too much distraction');
  await page.locator('#new-alert-minutes').fill('30');
  await page.getByRole('button', { name: 'Add alert', exact: true }).click();
  await page.getByRole('button', { name: 'Edit Too much distraction' }).waitFor();
  await expect.poll(() => page.getByText(/goes over 30 min a day/).count()).toBe(1);
}

/**
 * Deletes the account from Your data: password (and a fresh code with
 * two-factor sign-in on), then the final confirmation; afterwards the
 * password no longer logs in.
 */
export async function deleteAccount(page: Page, url: string, person: Person): Promise<void> {
  await visit(page, url, '/data', 'Your data');
  await page.getByLabel('Your password').fill(person.password);
  if (person.totpSecret !== null) {
    await page.getByLabel('Code from your authenticator app, or a recovery code').fill(await freshTotpCode(person));
  }
  await page.getByRole('button', { name: 'Delete my account…' }).click();
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.textContent()).toContain('cannot be undone');
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await page.waitForURL((address) => !address.pathname.startsWith('/data'), { timeout: 15_000 });

  const login = await page.request.post(`${url}/api/v1/auth/login`, {
    data: { email: person.email, password: person.password },
    headers: { origin: url },
  });
  expect(login.status()).toBe(401);
}
