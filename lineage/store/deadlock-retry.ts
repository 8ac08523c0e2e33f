import type { Kysely, Transaction } from 'kysely'

/** How often a transaction PostgreSQL chose as a deadlock's victim is run again. */
const ATTEMPTS = 4

const isDeadlock = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '40P01'

/**
 * A transaction, run again when PostgreSQL aborts it to break a deadlock (nothing of it was
 * kept, so running it again is safe). Concurrent groups and batches upsert overlapping jobs,
 * datasets and column lineage; locks are taken in key order within a statement, but not across
 * every statement of two transactions, so an occasional deadlock is expected and is not an error.
 */
export async function transaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work)
    } catch (error) {
      if (!isDeadlock(error) || attempt >= ATTEMPTS) throw error
      // A short, growing, random pause, so the two do not meet again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt))
    }
  }
}
