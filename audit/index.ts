/**
 * @module audit
 * The hash-chained audit trail: entries keyed with AUDIT_KEY, the head anchored outside the
 * database in checkpoint files, verification that names each break, and the auditors' routes.
 */

export { checkpointDirectory } from './audit-checkpoints.js'
export { type AuditLog, createAuditLog } from './audit-log.js'
export type { AuditTables } from './audit-tables.js'
export { canRewriteAudit, currentRole, grantApplicationRole } from './database-roles.js'
export { auditMigrations } from './migrations.js'
export { AUDIT_API, auditRoutes } from './routes.js'
