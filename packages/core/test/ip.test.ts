import { describe, expect, it } from 'vitest';
import { truncateIp } from '../src/ip.js';

describe('truncateIp', () => {
  it('keeps the /24 of an IPv4 address', () => {
    expect(truncateIp('203.0.113.77')).toBe('203.0.113.0');
    expect(truncateIp('::ffff:198.51.100.9')).toBe('198.51.100.0');
  });

  it('keeps the /48 of an IPv6 address', () => {
    expect(truncateIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::');
    expect(truncateIp('2001:0db8:0000::1')).toBe('2001:db8:0::');
    expect(truncateIp('::1')).toBe('0:0:0::');
    expect(truncateIp('fe80::1%eth0')).toBe('fe80:0:0::');
  });

  it('answers unknown for what is not an address', () => {
    for (const bad of ['', 'localhost', '300.1.1.1', '1.2.3', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7']) {
      expect(truncateIp(bad), bad).toBe('unknown');
    }
  });
});
