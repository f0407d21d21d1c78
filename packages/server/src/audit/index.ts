/** The audit log: what the rest of the server (and the CLI, through the package index) uses. */
export { auditLog, type AuditLog, type AuditEvent, type SecurityLogEntry, type PrivateDetails } from './audit-log.js';
export { AUDIT_ACTIONS, type AuditAction, type AuditDetails } from './actions.js';
export type { VerifyResult } from './chain.js';
