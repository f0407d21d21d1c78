/**
 * Password reset by email through a real SMTP listener (smtp-server, in this
 * process): the link arrives only for an existing account, works once within
 * 30 minutes, ends every session and reopens a locked account.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';

const EMAIL = 'hedy@example.org';
const PASSWORD = 'frequency hopping spread spectrum';
const NEW_PASSWORD = 'a brand new and long passphrase';

interface Received {
  to: string[];
  body: string;
}

async function startSmtp(): Promise<{ port: number; mail: Received[]; close(): Promise<void> }> {
  const mail: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let body = '';
      stream.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      stream.on('end', () => {
        mail.push({ to: session.envelope.rcptTo.map((r) => r.address), body });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, mail, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function waitFor<T>(probe: () => T | undefined, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

eachDatabase('password reset', (kind) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let clock: number;

  const post = (url: string, payload: object, cookie?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: cookie ? { cookie } : {} });
  const login = (password: string) => post('/api/v1/auth/login', { email: EMAIL, password });
  const tokenFrom = (received: Received) => {
    const unfolded = received.body.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const match = /https:\/\/sundial\.example\/reset-password#token=([A-Za-z0-9_-]+)/.exec(unfolded);
    if (!match?.[1]) throw new Error(`no link in ${received.body}`);
    return match[1];
  };

  beforeEach(async () => {
    clock = Date.UTC(2026, 10, 22, 9);
    smtp = await startSmtp();
    t = await createTestApp({
      kind,
      now: () => clock,
      env: {
        SUNDIAL_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        SUNDIAL_SMTP_FROM: 'Sundial <no-reply@sundial.example>',
        SUNDIAL_PUBLIC_URL: 'https://sundial.example',
      },
    });
    expect((await post('/api/v1/auth/signup', { email: EMAIL, password: PASSWORD })).statusCode).toBe(202);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
  });

  it('mails a single-use link that sets a new password and ends every session', async () => {
    const session = String((await login(PASSWORD)).headers['set-cookie']).split(';')[0] ?? '';
    const asked = await post('/api/v1/auth/password-reset', { email: 'HEDY@example.org' });
    expect(asked.statusCode).toBe(202);
    const received = await waitFor(() => smtp.mail[0]);
    expect(received.to).toEqual([EMAIL]);
    const token = tokenFrom(received);
    expect(token.length).toBeGreaterThanOrEqual(43);

    expect((await post('/api/v1/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD })).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: session } })).statusCode).toBe(
      401,
    );
    expect((await login(PASSWORD)).statusCode).toBe(401);
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
    const again = await post('/api/v1/auth/password-reset/confirm', {
      token,
      newPassword: 'yet another long passphrase',
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('input.invalid');
  });

  it('answers an unknown email exactly as a known one, and sends nothing', async () => {
    const unknown = await post('/api/v1/auth/password-reset', { email: 'nobody@example.org' });
    const known = await post('/api/v1/auth/password-reset', { email: EMAIL });
    expect(unknown.statusCode).toBe(known.statusCode);
    expect(unknown.json()).toEqual(known.json());
    await waitFor(() => smtp.mail[0]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mail).toHaveLength(1);
    expect(smtp.mail[0]?.to).toEqual([EMAIL]);
  });

  it('refuses a link after 30 minutes, and keeps only its hash', async () => {
    await post('/api/v1/auth/password-reset', { email: EMAIL });
    const token = tokenFrom(await waitFor(() => smtp.mail[0]));
    const stored = await t.store.passwordResets.consume(Buffer.from(token), clock);
    expect(stored).toBeNull(); // the raw token is not what is stored
    clock += 30 * 60_000 + 1;
    expect((await post('/api/v1/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD })).statusCode).toBe(
      400,
    );
    expect((await login(PASSWORD)).statusCode).toBe(200);
  });

  it('reopens an account locked after too many failures', async () => {
    const id = (await t.services.people.idByEmail(EMAIL)) ?? '';
    await t.store.users.setNeedsReset(id, true, clock);
    expect((await login(PASSWORD)).json().error.code).toBe('auth.invalid_credentials'); // locked: even the right password fails
    const link = await t.services.accounts.issueResetLink(EMAIL);
    const token = /#token=([A-Za-z0-9_-]+)$/.exec(link ?? '')?.[1] ?? '';
    expect((await post('/api/v1/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD })).statusCode).toBe(
      204,
    );
    expect((await login(NEW_PASSWORD)).statusCode).toBe(200);
  });

  it('refuses a common new password and keeps the link usable', async () => {
    await post('/api/v1/auth/password-reset', { email: EMAIL });
    const token = tokenFrom(await waitFor(() => smtp.mail[0]));
    const weak = await post('/api/v1/auth/password-reset/confirm', { token, newPassword: 'password1' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.message).toMatch(/common/);
    const good = await post('/api/v1/auth/password-reset/confirm', { token, newPassword: NEW_PASSWORD });
    expect(good.statusCode).toBe(204);
  });
});
