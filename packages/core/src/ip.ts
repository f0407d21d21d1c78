/**
 * IP addresses are personal data. Where Sundial keeps one outside a
 * person's own encrypted security log (server logs, shared counters), it
 * keeps it truncated: the /24 network of an IPv4 address, the /48 of an
 * IPv6 address — enough to see a region or provider, not a household.
 */

/** The truncated form of an address, or "unknown" for anything that is not one. */
export function truncateIp(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  const v4 = mapped?.[1] ?? address;
  if (isIpv4(v4)) return `${v4.slice(0, v4.lastIndexOf('.'))}.0`;
  const groups = expandIpv6(address);
  if (!groups) return 'unknown';
  return `${groups.slice(0, 3).join(':')}::`;
}

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The eight groups of an IPv6 address without leading zeros, or null. */
function expandIpv6(text: string): string[] | null {
  const bare = text.replace(/%.*$/, '').toLowerCase();
  if (!/^[0-9a-f:.]+$/.test(bare) || bare.split('::').length > 2) return null;
  const [head = '', tail] = bare.split('::');
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = split(head);
  const right = tail === undefined ? [] : split(tail);
  const last = right.at(-1) ?? left.at(-1);
  if (last !== undefined && last.includes('.')) return null; // embedded IPv4 other than ::ffff: is not worth the code
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) return null;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
