/**
 * The dashboard end to end, in Debian's Chromium against a real `sundial
 * serve` (built CLI, temporary data directory, no mocked API): first run →
 * sign up → two-factor sign-in → log out → log in with a code → a day of
 * activity through the API → the dashboard's totals, pulse and top app →
 * drill-down, range and themes. Every page gets an axe check; the main pages
 * are saved to docs/screenshots/.
 *
 * One sequential flow with one shared page: each step starts where the last
 * one left off. To add a step, add an `it` in order (helpers go in
 * test/support/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createToken, freshTotpCode, newPerson } from './support/account.js';
import { expectAccessible } from './support/accessibility.js';
import { DAY, EXPECTED, dayEvents, ingest } from './support/activity-day.js';
import { chromiumAvailable, launchBrowser, type Browser } from './support/chromium.js';
import { saveScreenshot } from './support/screenshots.js';
import { startSundial, type SundialServer } from './support/sundial-server.js';
import * as settings from './support/steps-settings.js';

const available = chromiumAvailable();

/** The trimmed text of the first element a selector finds, once it is visible. */
async function textOf(page: Page, selector: string): Promise<string> {
  const locator = page.locator(selector).first();
  await locator.waitFor({ state: 'visible' });
  return (await locator.textContent())?.trim() ?? '';
}

async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible' });
}

describe.skipIf(!available).sequential('the web dashboard in Chromium', { timeout: 120_000 }, () => {
  let server: SundialServer;
  let browser: Browser;
  let page: Page;
  const person = newPerson();

  beforeAll(async () => {
    server = await startSundial();
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(20_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('greets a new instance with its first-run page', async () => {
    await page.goto(`${server.url}/`);
    await heading(page, 'Welcome to Sundial');
    expect(new URL(page.url()).pathname).toBe('/welcome');
    await expectAccessible(page, 'first-run page');
    await saveScreenshot(page, 'first-run');
  });

  it('creates the administrator account and opens the empty dashboard', async () => {
    await page.getByLabel('Name (optional)').fill('Pat');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByLabel('Password again').fill(person.password);
    await page.getByRole('button', { name: 'Create the administrator account' }).click();
    await heading(page, 'Dashboard');
    await page.getByText('No activity in this range').waitFor();
    await expectAccessible(page, 'empty dashboard');
  });

  it('turns on two-factor sign-in on the Security page with an authenticator code', async () => {
    // The QR code's key is read from the page and the code computed here (support/account.ts).
    const recoveryCodes = await settings.enableTotp(page, server.url, person);
    expect(recoveryCodes.length).toBeGreaterThan(0);
    const me = await page.request.get(`${server.url}/api/v1/me`);
    expect(((await me.json()) as { mfa: { totp: boolean } }).mfa.totp).toBe(true);
  });

  it('logs out to the log-in page', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${server.url}/`);
    await heading(page, 'Log in');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expectAccessible(page, 'log-in page');
    await saveScreenshot(page, 'login');
  });

  it('logs in with the password, then asks for the code and accepts it', async () => {
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    await expectAccessible(page, 'log-in page asking for a code');
    await code.fill(await freshTotpCode(person));
    await page.getByRole('button', { name: 'Verify and log in' }).click();
    await heading(page, 'Dashboard');
  });

  it('shows the right totals, pulse and top app for a day sent through the API', async () => {
    const token = await createToken(page, server.url, ['ingest', 'read']);
    await ingest(server.url, token, dayEvents());
    await page.goto(`${server.url}/?from=${DAY}&to=${DAY}`);
    await heading(page, 'Dashboard');
    expect(await textOf(page, '[data-testid="active-time"]')).toBe(EXPECTED.activeText);
    expect(await textOf(page, '[data-testid="pulse"]')).toBe(`Pulse ${EXPECTED.pulse}`);
    expect(await textOf(page, '[aria-label="Top apps"] li:first-child .top-name')).toBe(EXPECTED.topApp);
    expect(await textOf(page, '[aria-label="Top apps"] li:first-child .top-value')).toBe(EXPECTED.topAppText);
    await page.getByRole('heading', { name: 'The day, hour by hour' }).waitFor();
    expect(await page.locator('.timeline-away').count()).toBe(1);
    await expectAccessible(page, 'dashboard with a day of data');
    await saveScreenshot(page, 'dashboard');
  });

  it('drills into an app and shows when it was used', async () => {
    await page.locator('[aria-label="Top apps"] li:first-child button').click();
    await page.getByRole('heading', { level: 2, name: EXPECTED.topApp }).waitFor();
    expect(new URL(page.url()).searchParams.get('app')).toBe(EXPECTED.topApp);
    const rows = page.locator('.drill tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').nth(3).textContent()).toBe('2 h');
    await expectAccessible(page, 'drill-down');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.locator('.drill').waitFor({ state: 'detached' });
  });

  it('shows a week with its trend, the same totals, through the custom range', async () => {
    await page.getByRole('button', { name: 'Custom' }).click();
    await page.getByLabel('From', { exact: true }).fill('2026-02-26');
    await page.getByLabel('To', { exact: true }).fill('2026-03-04');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: 'Trend' }).waitFor();
    expect(await textOf(page, '[data-testid="active-time"]')).toBe(EXPECTED.activeText);
    expect(await page.locator('svg.trend g').count()).toBeGreaterThanOrEqual(7);
    await expectAccessible(page, 'dashboard over a week');
    await saveScreenshot(page, 'dashboard-week');
  });

  it('follows the system’s dark theme and fits a phone', async () => {
    await page.goto(`${server.url}/?from=${DAY}&to=${DAY}`);
    await page.emulateMedia({ colorScheme: 'dark' });
    await textOf(page, '[data-testid="active-time"]');
    const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(background).not.toBe('rgb(246, 247, 249)');
    await expectAccessible(page, 'dashboard, dark theme');
    await saveScreenshot(page, 'dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate('document.documentElement.scrollWidth > window.innerWidth');
    expect(overflow).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).waitFor();
    await expectAccessible(page, 'dashboard at phone width');
    await saveScreenshot(page, 'dashboard-phone', { fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('asks for a password reset link with the same answer for any email', async () => {
    await page.goto(`${server.url}/reset-password`);
    await heading(page, 'Reset your password');
    await page.getByLabel('Email').fill('nobody@example.org');
    await page.getByRole('button', { name: 'Send the reset link' }).click();
    await page.getByText('If this email has an account').waitFor();
    await expectAccessible(page, 'password reset');
  });

  // The settings pages (steps in support/steps-settings.ts); deleting the account comes last.
  const openDashboard = async () => {
    await page.goto(`${server.url}/?from=${DAY}&to=${DAY}`);
    await textOf(page, '[data-testid="active-time"]');
  };

  it('categorises an app with a new rule, and the dashboard follows', async () => {
    await settings.addRuleAndSeeCategory(page, server.url, openDashboard, {
      app: 'VLC',
      category: 'Reference & Learning',
    });
  });

  it('erases one app on the Privacy page, and the dashboard no longer lists it', async () => {
    await settings.eraseAppAndSeeItGone(page, server.url, openDashboard, 'Slack');
  });

  let exported: Record<string, unknown> = {};

  it('exports everything as JSON from Your data', async () => {
    exported = await settings.exportJson(page, server.url);
    // The day's events without Slack's, which was erased.
    expect((exported['events'] as unknown[]).length).toBe(dayEvents().length - 1);
  });

  it('imports an ActivityWatch export, and refuses a Sundial export into an account with activity', async () => {
    await settings.importFiles(page, server.url, DAY, exported);
  });

  it('adds an alert', async () => {
    await settings.addAlert(page, server.url);
  });

  it('has accessible settings pages (screenshots saved)', async () => {
    await settings.tourSettingsPages(page, server.url);
  });

  it('fills a pairing link’s code and revokes a device', async () => {
    await settings.pairLinkAndRevokeDevice(page, server.url, 'end-to-end test');
  });

  it('deletes the account for good', async () => {
    await settings.deleteAccount(page, server.url, person);
  });
});
