// Decoding of X11 window properties: titles in UTF-8 or Latin-1, WM_CLASS, cardinals.
import { describe, expect, it } from 'vitest';
import { decodeText, firstCardinal, parseWmClass } from '../../src/watchers/x11-properties.js';

const STRING = 31;
const text = (bytes: Buffer, bytesAfter = 0) => ({ type: STRING, format: 8, data: bytes, bytesAfter });

describe('decodeText', () => {
  it('_NET_WM_NAME is UTF-8 whatever type it claims; invalid bytes are replaced', () => {
    expect(decodeText(text(Buffer.from('Grüße — ✓', 'utf8')), true)).toBe('Grüße — ✓');
    expect(decodeText(text(Buffer.from([0x61, 0xff, 0x62])), true)).toBe('a\uFFFDb');
  });

  it('WM_NAME: valid UTF-8 as UTF-8, anything else as Latin-1', () => {
    expect(decodeText(text(Buffer.from('naïve', 'utf8')), false)).toBe('naïve');
    expect(decodeText(text(Buffer.from([0x6e, 0x61, 0xef, 0x76, 0x65])), false)).toBe('naïve');
  });

  it('drops NULs, and a character cut at the read limit', () => {
    expect(decodeText(text(Buffer.from('title\0', 'latin1')), false)).toBe('title');
    const cut = Buffer.from('ab✓', 'utf8').subarray(0, 4);
    expect(decodeText(text(cut, 100), true)).toBe('ab');
    expect(decodeText({ type: STRING, format: 32, data: Buffer.alloc(4), bytesAfter: 0 }, true)).toBe('');
  });
});

describe('parseWmClass and firstCardinal', () => {
  it('the class names the application; the instance stands in when the class is empty', () => {
    expect(parseWmClass(text(Buffer.from('xterm\0XTerm\0', 'latin1')))).toEqual({
      instance: 'xterm',
      className: 'XTerm',
    });
    expect(parseWmClass(text(Buffer.from('only\0', 'latin1')))?.className).toBe('only');
    expect(parseWmClass(text(Buffer.from('\0\0', 'latin1')))).toBeNull();
  });

  it('reads a 32-bit value, and nothing from a short or 8-bit property', () => {
    const pid = Buffer.alloc(4);
    pid.writeUInt32LE(4242);
    expect(firstCardinal({ type: 6, format: 32, data: pid, bytesAfter: 0 })).toBe(4242);
    expect(firstCardinal({ type: 6, format: 32, data: Buffer.alloc(2), bytesAfter: 0 })).toBeNull();
    expect(firstCardinal(text(pid))).toBeNull();
  });
});
