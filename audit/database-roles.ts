import { type Kysely, sql } from 'kysely'

/** Tables whose rows the application adds and reads but never changes or removes. */
const APPEND_ONLY_TABLES = ['audit_log'] as const

/** Kysely's record of applied migrations and its lock. */
const MIGRATION_TABLES = ['kysely_migration', 'kysely_migration_lock'] as const

/**
 * As the tables' owner, gives the application's role what it needs and nothing more: read and
 * write rows in every table of the schema, only add to append-only ones, use the sequences. Not
 * being the owner, the application's role cannot alter a table, disable or drop a trigger,
 * truncate, or change or delete an audit entry. Run after migrating, since it covers the tables
 * that exist.
 */
export async function grantApplicationRole(owner: Kysely<unknown>, appRole: string): Promise<void> {
  const role = sql.id(appRole)
  await owner.transaction().execute(async (trx) => {
    await sql`grant usage on schema public to ${role}`.execute(trx)
    await sql`revoke all on all tables in schema public from ${role}`.execute(trx)
    await sql`grant select, insert, update, delete on all tables in schema public to ${role}`.execute(
      trx,
    )
    for (const table of APPEND_ONLY_TABLES)
      await sql`revoke update, delete, truncate on ${sql.table(table)} from ${role}`.execute(trx)
    // The migrations' own record is the owner's: the application only reads it (to see that
    // nothing is pending), so it can neither skip a migration nor hold the owner's lock.
    for (const table of MIGRATION_TABLES)
      await sql`revoke insert, update, delete, truncate on ${sql.table(table)} from ${role}`.execute(
        trx,
      )
    await sql`grant usage, select, update on all sequences in schema public to ${role}`.execute(trx)
  })
}

/** The role a connection acts as. */
export async function currentRole(db: Kysely<unknown>): Promise<string> {
  const { rows } = await sql<{ role: string }>`select current_user as role`.execute(db)
  return rows[0]?.role ?? ''
}

/**
 * Whether the connected role could switch the audit trail's append-only triggers off or rewrite
 * it: it owns the table or is a superuser.
 */
export async function canRewriteAudit(db: Kysely<unknown>): Promise<boolean> {
  const { rows } = await sql<{ can: boolean }>`
    select pg_has_role(current_user, c.relowner, 'USAGE')
        or (select rolsuper from pg_roles where rolname = current_user) as can
    from pg_class c where c.oid = 'audit_log'::regclass`.execute(db)
  return rows[0]?.can ?? false
}
