import { type Kysely, sql } from 'kysely'

/**
 * Runs `work` while holding a PostgreSQL advisory lock named `name`, so that of several processes
 * on one database (replicas starting together) only one does it at a time; the others wait and
 * then find it done. The lock lives on a connection of its own for as long as `work` runs and is
 * released however it ends (and by the server, should the process die). Not for PGlite: an
 * embedded database has a single connection and a single process, so callers just run the work.
 * @example await exclusively(db, 'portal:load-data', () => loadData(runtime))
 */
export async function exclusively<T>(
  db: Kysely<unknown>,
  name: string,
  work: () => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(hashtext(${name}))`.execute(connection)
    try {
      return await work()
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(connection)
    }
  })
}
