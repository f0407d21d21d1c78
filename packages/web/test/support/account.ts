/**
 * Account steps the flow needs besides the pages themselves: an API token
 * made with the browser's session (as the Security page would), and fresh
 * TOTP codes computed here from the enrolment secret (RFC 6238, 30 s steps).
 */
import type { Page } from 'playwright-core';
import { TOTP } from 'otpauth';

export interface Person {
  readonly email: string;
  readonly password: string;
  totpSecret: string | null;
  /** The last TOTP step the server accepted: a code is good once (replay protection). */
  lastTotpStep: number;
}

export function newPerson(): Person {
  return {
    email: `pat.${Date.now().toString(36)}@example.org`,
    password: 'correct horse battery staple 42',
    totpSecret: null,
    lastTotpStep: 0,
  };
}

/** Creates an API token with the page's session cookie (same origin, like the dashboard does). */
export async function createToken(page: Page, url: string, scopes: string[]): Promise<string> {
  const res = await page.request.post(`${url}/api/v1/tokens`, {
    data: { name: 'end-to-end test', scopes },
    headers: { origin: url },
  });
  if (!res.ok()) throw new Error(`token creation answered ${res.status()}: ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

const totpStep = () => Math.floor(Date.now() / 30_000);

/** A code for a step the server has not seen yet, waiting for the next 30 s step if need be. */
export async function freshTotpCode(person: Person): Promise<string> {
  if (!person.totpSecret) throw new Error('TOTP is not enrolled for this person');
  while (totpStep() <= person.lastTotpStep) {
    await new Promise((resolve) => setTimeout(resolve, (person.lastTotpStep + 1) * 30_000 - Date.now() + 50));
  }
  person.lastTotpStep = totpStep();
  return new TOTP({ secret: person.totpSecret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}
