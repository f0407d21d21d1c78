/**
 * Passkey log-in in Chromium, with the browser's virtual authenticator (the
 * DevTools protocol's WebAuthn domain: a platform authenticator that
 * verifies the user) against a real `sundial serve`. WebAuthn refuses IP
 * addresses as relying-party ids, so this server's public URL is
 * http://localhost:<port>. Register a passkey on the Security page, log
 * out, log in with the passkey alone; then choose a new password from a
 * reset link (`sundial admin reset-link`, as on an instance without mail).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newPerson } from './support/account.js';
import { expectAccessible } from './support/accessibility.js';
import { chromiumAvailable, launchBrowser, type Browser } from './support/chromium.js';
import { freePort, startSundial, type SundialServer } from './support/sundial-server.js';

const available = chromiumAvailable();

async function heading(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ state: 'visible' });
}

describe.skipIf(!available).sequential('passkey log-in and password reset in Chromium', { timeout: 90_000 }, () => {
  let server: SundialServer;
  let browser: Browser;
  let page: Page;
  let url: string;
  const person = newPerson();

  beforeAll(async () => {
    const port = await freePort();
    url = `http://localhost:${port}`;
    server = await startSundial({ SUNDIAL_PUBLIC_URL: url }, port);
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(20_000);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers a passkey on the Security page', async () => {
    await page.goto(`${url}/welcome`);
    await heading(page, 'Welcome to Sundial');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByLabel('Password again').fill(person.password);
    await page.getByRole('button', { name: 'Create the administrator account' }).click();
    await heading(page, 'Dashboard');
    await page.goto(`${url}/security`);
    await page.getByLabel('Name for the new passkey').fill('Virtual key');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByText('Virtual key').first().waitFor();
  });

  it('logs in with the passkey alone after logging out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${url}/login`);
    await heading(page, 'Log in');
    await page.getByRole('button', { name: 'Log in with a passkey' }).click();
    await heading(page, 'Dashboard');
    const me = await page.request.get(`${url}/api/v1/me`);
    expect(me.status()).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(person.email);
    await expectAccessible(page, 'dashboard after a passkey log-in');
  });

  it('sets a new password from a reset link and logs in with it', async () => {
    const issued = await server.cli(['admin', 'reset-link', person.email]);
    expect(issued.code, issued.stderr).toBe(0);
    const token = /#token=([A-Za-z0-9_-]+)/.exec(issued.stdout)?.[1];
    expect(token).toBeTruthy();
    await page.goto(`${url}/reset-password#token=${token ?? ''}`);
    await heading(page, 'Reset your password');
    const newPassword = 'a brand new tidal lantern 7';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('New password again').fill(newPassword);
    await expectAccessible(page, 'choosing a new password');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByText('Your password is changed').waitFor();
    expect(new URL(page.url()).hash).toBe('');
    // Every session ended with the reset: the dashboard asks to log in again.
    await page.goto(`${url}/`);
    await heading(page, 'Log in');
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await heading(page, 'Dashboard');
  });
});
