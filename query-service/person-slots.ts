import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { QueryServiceTables } from './migrations.js'

/** Frees a slot taken by `claim`; safe to call more than once. */
export type FreeSlot = () => void

/**
 * A person's query slots, shared by every replica on the database: each running query or extract
 * holds one row of `query_slots`, numbered 0 … maxPerUser − 1 per person, so the primary key
 * itself refuses a slot more than the limit however many replicas try at once. Slots of a process
 * that died are freed by `freeSlotsOf` (the replicas' recovery of interrupted work).
 */
export function createPersonSlots(
  db: Kysely<QueryServiceTables>,
  options: { maxPerUser: number; processId?: string },
) {
  // Releases the database could not take (it was away): retried before the next claim.
  const unreleased = new Set<string>()
  const release = async (holder: string) => {
    try {
      await db.deleteFrom('query_slots').where('holder', '=', holder).execute()
      unreleased.delete(holder)
    } catch {
      unreleased.add(holder)
    }
  }

  return {
    /** Takes a free slot for the person, or answers undefined when all are taken. */
    async claim(userId: string): Promise<FreeSlot | undefined> {
      await Promise.all([...unreleased].map(release))
      const holder = randomUUID()
      for (let slot = 0; slot < options.maxPerUser; slot++) {
        const taken = await db
          .insertInto('query_slots')
          .values({
            user_id: userId,
            slot,
            holder,
            process_id: options.processId ?? null,
            taken_at: new Date(),
          })
          .onConflict((oc) => oc.columns(['user_id', 'slot']).doNothing())
          .returning('slot')
          .executeTakeFirst()
        if (taken) {
          let freed = false
          return () => {
            if (freed) return
            freed = true
            void release(holder)
          }
        }
      }
      return undefined
    },
  }
}

export type PersonSlots = ReturnType<typeof createPersonSlots>

/** Frees the slots of processes that stopped without releasing them; answers how many. */
export async function freeSlotsOf(
  db: Kysely<QueryServiceTables>,
  processIds: readonly string[],
): Promise<number> {
  if (processIds.length === 0) return 0
  const freed = await db
    .deleteFrom('query_slots')
    .where('process_id', 'in', [...processIds])
    .returning('holder')
    .execute()
  return freed.length
}
