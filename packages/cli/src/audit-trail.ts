/**
 * Audit entries for maintenance commands (key rotation, backups, restores):
 * they change or copy what the audit log protects, so they are recorded in
 * it like any server action.
 */
import { auditLog, openKeyring, type AuditAction, type AuditDetails, type ServerConfig } from '@sundial/server';
import type { Store } from '@sundial/store';

export async function recordMaintenance(
  store: Store,
  config: ServerConfig,
  action: AuditAction,
  details: AuditDetails,
): Promise<void> {
  const keyring = await openKeyring({
    repo: store.keyring,
    source: config.masterKey,
    dataHoldsPeople: async () => (await store.users.count()) > 0,
  });
  await auditLog({ repo: store.audit, keyring }).record({ action, details: { ...details, via: 'cli' } });
}
