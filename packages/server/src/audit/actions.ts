/**
 * What the audit log records (docs/SECURITY.md, "Audit log") and the shape
 * of an entry's public details: a small flat object of non-personal facts
 * — ids, counts, scopes. Personal data goes, encrypted, into an entry's
 * private part or nowhere; the checks here catch the obvious slips (an
 * email, a URL, an IP address, a field named like a secret) at the boundary.
 */
import { isIP } from 'node:net';

export const AUDIT_ACTIONS = [
  'auth.signup',
  'auth.login.success',
  'auth.login.failure',
  'auth.logout',
  'mfa.enrol',
  'mfa.disable',
  'mfa.recovery_code_used',
  'password.change',
  'password.reset',
  'email.change',
  'token.create',
  'token.revoke',
  'device.pair',
  'device.revoke',
  'session.revoke',
  'data.export',
  'data.import',
  'data.erase',
  'privacy.change',
  'categories.change',
  'alerts.change',
  'account.delete',
  'team.grant_change',
  'team.member_view',
  'admin.action',
  'keys.rotate',
  'backup.create',
  'backup.restore',
  'config.start',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditDetailValue = string | number | boolean | null | readonly (string | number)[];
export type AuditDetails = Readonly<Record<string, AuditDetailValue>>;

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const MAX_DETAILS_CHARS = 1024;
/** Field names that can only hold what must never be logged (compared lower-case, without `_` and `-`). */
const PERSONAL_FIELDS = new Set([
  'email',
  'password',
  'passwordhash',
  'token',
  'secret',
  'code',
  'totp',
  'totpcode',
  'recoverycode',
  'cookie',
  'sessiontoken',
  'title',
  'url',
  'domain',
  'app',
  'appname',
  'filename',
  'displayname',
  'ip',
  'useragent',
]);

export function isAuditAction(value: string): value is AuditAction {
  return KNOWN_ACTIONS.has(value);
}

/** The details as stored (JSON); a TypeError — naming the field, never its value — when they look personal. */
export function encodeDetails(details: AuditDetails): string {
  for (const [field, value] of Object.entries(details)) {
    if (PERSONAL_FIELDS.has(field.toLowerCase().replace(/[-_]/g, ''))) {
      throw new TypeError(`audit details: the field '${field}' would log personal data or a secret`);
    }
    for (const item of Array.isArray(value) ? value : [value]) checkValue(field, item);
  }
  const json = JSON.stringify(details);
  if (json.length > MAX_DETAILS_CHARS) {
    throw new TypeError(`audit details: ${json.length} characters, more than ${MAX_DETAILS_CHARS}`);
  }
  return json;
}

function checkValue(field: string, value: unknown): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`audit details: the field '${field}' is not a finite number`);
  }
  if (typeof value === 'object' && value !== null) {
    throw new TypeError(`audit details: the field '${field}' is nested; details are flat`);
  }
  if (typeof value === 'string' && (value.includes('@') || value.includes('://') || isIP(value) !== 0)) {
    throw new TypeError(`audit details: the field '${field}' looks like an email, URL or IP address`);
  }
}

/** Reads stored details back; anything but a JSON object (damage) reads as empty. */
export function decodeDetails(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // fall through: a damaged entry is reported by verify, not here
  }
  return {};
}
