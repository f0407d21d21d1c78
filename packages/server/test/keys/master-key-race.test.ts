/**
 * Two processes creating the same key file at once, with the interleaving
 * made deterministic: `writeSync` is wrapped so that a second creator runs
 * while the first is writing its key — what a second server process can
 * observe on a fresh install when two start together.
 */
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readKeyFile } from '../../src/keys/master-key.js';
import { keyFolder, type KeyFolder } from './key-fixtures.js';

const hooks = vi.hoisted(() => ({ beforeWrite: null as (() => void) | null }));

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    writeSync(...args: unknown[]): number {
      const hook = hooks.beforeWrite;
      hooks.beforeWrite = null;
      hook?.();
      return Reflect.apply(actual.writeSync, actual, args) as number;
    },
  };
});

describe('master key file created by two processes at once', () => {
  let folder: KeyFolder;
  beforeEach(() => {
    folder = keyFolder();
  });
  afterEach(() => {
    hooks.beforeWrite = null;
    folder.remove();
  });

  it('never shows a half-written key file: the key file does not exist while the key is being written', () => {
    let visibleWhileWriting: boolean | null = null;
    hooks.beforeWrite = () => {
      visibleWhileWriting = fs.existsSync(folder.path);
    };
    readKeyFile(folder.path, true);
    expect(visibleWhileWriting).toBe(false);
    expect(fs.readFileSync(folder.path, 'utf8')).toMatch(/^[A-Za-z0-9+/]{43}=\n$/);
  });

  it('gives the second creator the key the first one writes', () => {
    let second: unknown = null;
    hooks.beforeWrite = () => {
      try {
        second = readKeyFile(folder.path, true).keyId;
      } catch (error) {
        second = error;
      }
    };
    const first = readKeyFile(folder.path, true);
    expect(second).toBe(first.keyId);
  });
});
