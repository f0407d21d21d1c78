import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';

describe('VERSION', () => {
  it('matches the version in every package.json', () => {
    for (const file of ['../../../package.json', '../package.json', '../../cli/package.json']) {
      const manifest = JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as { version: string };
      expect(manifest.version, file).toBe(VERSION);
    }
  });
});
