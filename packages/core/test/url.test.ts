import { describe, expect, it } from 'vitest';
import { domainOf, hostOf, normaliseDomain, splitUrl } from '../src/url.js';

describe('domainOf', () => {
  it.each([
    ['http://example.com', 'example.com'],
    ['https://www.Example.COM:8443/a/b?c=d#e', 'example.com'],
    ['https://user:secret@www.example.com/', 'example.com'],
    ['https://mail.example.com/inbox', 'mail.example.com'],
    ['https://www.www.example.com/', 'example.com'],
    ['https://example.com./', 'example.com'],
    ['https://wwwexample.com/', 'wwwexample.com'],
    ['https://www/', 'www'],
    ['http://www./', 'www'],
    ['http://bücher.de/', 'xn--bcher-kva.de'],
    ['http://192.168.1.10:8080/', '192.168.1.10'],
    ['http://[::1]:3000/', '[::1]'],
    ['  https://example.com/  ', 'example.com'],
  ])('%s → %s', (url, domain) => {
    expect(domainOf(url)).toBe(domain);
  });

  it.each([
    'file:///home/me/secret.pdf',
    'about:blank',
    'chrome://settings/privacy',
    'chrome-extension://abcdef/popup.html',
    'moz-extension://abcdef/page.html',
    'data:text/html,hello',
    'javascript:alert(1)',
    'mailto:someone@example.com',
    'ftp://example.com/file',
    'blob:https://example.com/1234',
    'example.com',
    'not a url',
    '',
    'http://',
  ])('%s → null', (url) => {
    expect(domainOf(url)).toBeNull();
  });
});

describe('hostOf', () => {
  it('keeps www. but lowercases and drops port and trailing dot', () => {
    expect(hostOf('https://WWW.Example.com.:443/x')).toBe('www.example.com');
    expect(hostOf('about:blank')).toBeNull();
  });
});

describe('normaliseDomain', () => {
  it('lowercases and drops leading www. labels and a trailing dot', () => {
    expect(normaliseDomain('WWW.Example.com.')).toBe('example.com');
    expect(normaliseDomain('www.www.a.b')).toBe('a.b');
    expect(normaliseDomain('mail.example.com')).toBe('mail.example.com');
    expect(normaliseDomain('www.')).toBe('www');
    expect(normaliseDomain('.')).toBe('');
  });
});

describe('splitUrl', () => {
  it('matches aw-server-rust split_url_event, plus the fragment as options', () => {
    // The case from aw-transform/src/split_url.rs.
    expect(splitUrl('http://www.google.com/path?query=1')).toEqual({
      protocol: 'http',
      domain: 'google.com',
      path: '/path',
      params: 'query=1',
      options: '',
    });
    expect(splitUrl('https://WWW.Example.com:8080/a%20b/c?x=1&y=2#section-2')).toEqual({
      protocol: 'https',
      domain: 'example.com',
      path: '/a%20b/c',
      params: 'x=1&y=2',
      options: 'section-2',
    });
  });

  it('falls back to the scheme as domain for URLs without a host, like aw-server-rust', () => {
    expect(splitUrl('file:///home/user/document.pdf')).toEqual({
      protocol: 'file',
      domain: 'file',
      path: '/home/user/document.pdf',
      params: '',
      options: '',
    });
    expect(splitUrl('about:blank')).toEqual({
      protocol: 'about',
      domain: 'about',
      path: 'blank',
      params: '',
      options: '',
    });
  });

  it('keeps the host of non-http schemes', () => {
    expect(splitUrl('chrome://settings/privacy')).toEqual({
      protocol: 'chrome',
      domain: 'settings',
      path: '/privacy',
      params: '',
      options: '',
    });
  });

  it('gives "/" as the path of a bare origin and "" for an empty query', () => {
    expect(splitUrl('https://example.com?')).toEqual({
      protocol: 'https',
      domain: 'example.com',
      path: '/',
      params: '',
      options: '',
    });
  });

  it('answers null for what does not parse', () => {
    expect(splitUrl('example.com/path')).toBeNull();
    expect(splitUrl('')).toBeNull();
    expect(splitUrl('http://exa mple.com/')).toBeNull();
  });
});
