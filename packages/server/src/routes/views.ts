/** Service results shaped for the wire (epoch milliseconds become ISO 8601). */
import { formatIsoTimestamp } from '@sundial/core';
import type { SessionView, TokenView } from '../services/accounts.js';

const iso = (ms: number | null): string | null => (ms === null ? null : formatIsoTimestamp(ms));

export function meView(me: {
  id: string;
  email: string;
  displayName: string | null;
  role: 'member' | 'admin';
  totp: boolean;
  createdAt: number;
}) {
  return {
    id: me.id,
    email: me.email,
    displayName: me.displayName,
    role: me.role,
    mfa: { totp: me.totp },
    createdAt: formatIsoTimestamp(me.createdAt),
  };
}

export function sessionView(s: SessionView) {
  return {
    id: s.id,
    current: s.current,
    createdAt: formatIsoTimestamp(s.createdAt),
    lastSeenAt: formatIsoTimestamp(s.lastSeenAt),
    expiresAt: formatIsoTimestamp(s.expiresAt),
    userAgent: s.userAgent,
    ip: s.ip,
  };
}

export function tokenView(t: TokenView) {
  return {
    id: t.id,
    name: t.name,
    scopes: t.scopes,
    createdAt: formatIsoTimestamp(t.createdAt),
    lastUsedAt: iso(t.lastUsedAt),
    expiresAt: iso(t.expiresAt),
  };
}
