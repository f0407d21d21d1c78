/** What of a window or web event reaches the queue at each detail level, and what ignore rules and pause drop. */
import { compilePrivacy, type PrivacySettings } from '@sundial/core';
import { describe, expect, it } from 'vitest';
import { filterData } from '../src/privacy/filter.js';

const settings = (over: Partial<PrivacySettings>): PrivacySettings => ({
  detail: 'full',
  ignore: [],
  paused: false,
  retentionDays: null,
  ...over,
});
const web = {
  url: 'https://docs.example.org/private/plan?id=7',
  title: 'Secret plan',
  audible: true,
  tabCount: 3,
  incognito: false,
  note: 'free text',
};

describe('privacy filter on the device', () => {
  it('keeps everything at full detail, except free-form strings of web events', () => {
    const full = compilePrivacy(settings({}));
    expect(filterData(full, 'web', web)).toEqual({
      url: web.url,
      title: 'Secret plan',
      audible: true,
      tabCount: 3,
      incognito: false,
    });
    expect(filterData(full, 'window', { app: 'Editor', title: 'notes.md' })).toEqual({
      app: 'Editor',
      title: 'notes.md',
    });
  });

  it('at domain keeps only scheme and host of a url and no title', () => {
    const domain = compilePrivacy(settings({ detail: 'domain' }));
    expect(filterData(domain, 'web', web)).toEqual({
      url: 'https://docs.example.org/',
      audible: true,
      tabCount: 3,
      incognito: false,
    });
    expect(filterData(domain, 'window', { app: 'Editor', title: 'notes.md' })).toEqual({ app: 'Editor' });
  });

  it('at app keeps no site at all and no title', () => {
    const app = compilePrivacy(settings({ detail: 'app' }));
    expect(JSON.stringify(filterData(app, 'web', web))).not.toMatch(/example|Secret/);
    expect(filterData(app, 'window', { app: 'Editor', title: 'notes.md' })).toEqual({ app: 'Editor' });
  });

  it('drops ignored apps and sites, and everything while paused', () => {
    const rules = compilePrivacy(
      settings({
        ignore: [
          { field: 'domain', match: 'exact', pattern: 'example.org' },
          { field: 'app', match: 'exact', pattern: 'Bank' },
        ],
      }),
    );
    expect(filterData(rules, 'web', web)).toBeNull();
    expect(filterData(rules, 'window', { app: 'bank', title: 'x' })).toBeNull();
    const paused = compilePrivacy(settings({ paused: true }));
    expect(filterData(paused, 'away', { status: 'afk' })).toBeNull();
    expect(filterData(compilePrivacy(settings({})), 'away', { status: 'not-afk', extra: 1 })).toEqual({
      status: 'not-afk',
    });
  });
});
