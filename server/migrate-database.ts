import type { Kysely } from 'kysely'
import { canRewriteAudit, currentRole, grantApplicationRole } from '../audit/index.js'
import { type Config, type Logger, migrateToLatest, openDatabase } from '../core/index.js'
import { MIGRATIONS } from './schema.js'

/**
 * Brings the schema up to date. With DATABASE_OWNER_URL, as the tables' owner, which then grants
 * the application's role (DATABASE_URL's) only what it needs; otherwise as the application's own
 * role, and on PostgreSQL a warning says that this role could rewrite the audit trail.
 * @returns the names of the migrations applied.
 */
export async function migrateDatabase(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_OWNER_URL'>,
  db: Kysely<unknown>,
  log: Logger,
): Promise<string[]> {
  if (!config.DATABASE_OWNER_URL) {
    const applied = await migrateToLatest(db, MIGRATIONS)
    if (config.DATABASE_URL && (await canRewriteAudit(db)))
      log.warn(
        "The application's database role owns the audit trail's table (or is a superuser), so it could disable the append-only triggers: set DATABASE_OWNER_URL so that the tables belong to another role (README, Database roles). Audit verification still detects rewrites against its checkpoints.",
      )
    return applied
  }
  const owner = await openDatabase<unknown>(
    { kind: 'postgres', url: config.DATABASE_OWNER_URL, poolSize: 1 },
    { log },
  )
  try {
    const applied = await migrateToLatest(owner, MIGRATIONS)
    const appRole = await currentRole(db)
    if (appRole === (await currentRole(owner)))
      throw new Error(
        'DATABASE_OWNER_URL and DATABASE_URL connect as the same role: the application must use a role of its own',
      )
    await grantApplicationRole(owner, appRole)
    if (await canRewriteAudit(db))
      throw new Error(
        `DATABASE_URL's role ${appRole} can still rewrite the audit trail (it owns the tables, is a superuser or a member of the owner's role): reassign the tables to the owner (REASSIGN OWNED BY ${appRole} TO <owner>) and use a plain login role for the application`,
      )
    log.info({ appRole }, "application role granted row access only; tables stay the owner's")
    return applied
  } finally {
    await owner.destroy()
  }
}
