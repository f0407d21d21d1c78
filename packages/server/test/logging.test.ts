import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.js';

describe('request logging', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => t.close());

  it('logs method, path and status but no credentials, cookies or query strings', async () => {
    await t.app.inject({
      method: 'GET',
      url: '/healthz?email=ada%40example.com&title=Secret+Plan',
      headers: { authorization: 'Bearer sdl_supersecrettoken', cookie: 'sundial_session=cookievalue123' },
      remoteAddress: '203.0.113.77',
    });
    const text = t.logText();
    expect(text).toContain('"path":"/healthz"');
    expect(text).toContain('"statusCode":200');
    for (const secret of [
      'sdl_supersecrettoken',
      'cookievalue123',
      'ada%40example.com',
      'ada@example.com',
      'Secret',
      '203.0.113.77',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('keeps only the /24 of the client address', async () => {
    await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '198.51.100.23' });
    expect(t.logText()).toContain('"remote":"198.51.100.0"');
  });

  it('redacts personal fields in anything else that gets logged', () => {
    t.app.log.info(
      { user: { email: 'grace@example.com', password: 'pw-123456', title: 'Diary' } },
      'something happened',
    );
    const text = t.logText();
    expect(text).toContain('something happened');
    expect(text).not.toContain('grace@example.com');
    expect(text).not.toContain('pw-123456');
    expect(text).not.toContain('Diary');
  });
});
