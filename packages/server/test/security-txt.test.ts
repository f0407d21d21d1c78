import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { securityTxt } from '../src/routes/security-txt.js';
import { createTestApp, type TestApp } from './helpers.js';

describe('/.well-known/security.txt (RFC 9116)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ env: { SUNDIAL_PUBLIC_URL: 'https://time.example.org' } });
  });
  afterEach(async () => t.close());

  it('names a contact, a policy and an expiry less than a year ahead', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/.well-known/security.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const fields = Object.fromEntries(
      res.body
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    expect(fields['Contact']).toBe('mailto:security@time.example.org');
    expect(fields['Policy']).toBe('https://time.example.org/.well-known/security-policy.txt');
    expect(fields['Canonical']).toBe('https://time.example.org/.well-known/security.txt');
    expect(fields['Preferred-Languages']).toBe('en');
    const expires = Date.parse(fields['Expires'] ?? '');
    expect(expires).toBeGreaterThan(Date.now() + 30 * 86_400_000);
    expect(expires).toBeLessThan(Date.now() + 365 * 86_400_000);
  });

  it('serves the policy it points to, with the promised response times', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/.well-known/security-policy.txt' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/within 24 hours/);
    expect(res.body).toMatch(/every 5 working days/);
  });

  it('computes Expires from the clock it is given', () => {
    const text = securityTxt({
      contact: 'mailto:a@b.example',
      publicUrl: 'https://b.example',
      now: Date.UTC(2026, 0, 1),
    });
    expect(text).toContain('Expires: 2026-06-30T00:00:00Z');
  });

  it('refuses a contact that is not a URI', async () => {
    await expect(createTestApp({ env: { SUNDIAL_SECURITY_CONTACT: 'call Bob' } })).rejects.toThrow(
      /SUNDIAL_SECURITY_CONTACT/,
    );
  });
});
