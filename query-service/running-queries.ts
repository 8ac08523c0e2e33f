import type { Kysely } from 'kysely'
import type { QueryServiceTables } from './migrations.js'

/** How often a replica looks for cancellations of its queries asked through another replica. */
const CANCEL_POLL_MS = 250

/**
 * The queries running in this process, and how anyone cancels them from any replica. A cancel
 * that reaches the process running the query stops it at once; one that reaches another replica
 * is written on the query's history row, and the running process, which looks for such marks on
 * its own queries every quarter second while it has any, stops it then.
 */
export function createRunningQueries(db: Kysely<QueryServiceTables>, now: () => Date) {
  // By person and id: a query's id is its person's own.
  const running = new Map<string, { id: string; userId: string; cancel: () => void }>()
  const keyOf = (userId: string, id: string) => `${userId} ${id}`
  let timer: NodeJS.Timeout | undefined

  async function cancelMarked() {
    const ids = [...running.values()].map((r) => r.id)
    if (ids.length === 0) return
    const marked = await db
      .selectFrom('query_history')
      .select(['id', 'user_id'])
      .where('id', 'in', ids)
      .where('cancel_requested_at', 'is not', null)
      .execute()
    for (const { id, user_id } of marked) running.get(keyOf(user_id, id))?.cancel()
  }

  const watch = () => {
    if (timer) return
    timer = setInterval(() => {
      // A failed look is tried again at the next tick; the query itself is unaffected.
      cancelMarked().catch(() => {})
    }, CANCEL_POLL_MS)
    timer.unref()
  }
  const unwatch = () => {
    if (running.size > 0 || !timer) return
    clearInterval(timer)
    timer = undefined
  }

  return {
    track(id: string, userId: string, cancel: () => void) {
      running.set(keyOf(userId, id), { id, userId, cancel })
      watch()
    },
    untrack(id: string, userId: string) {
      running.delete(keyOf(userId, id))
      unwatch()
    },
    /**
     * Stops one of the person's running queries, here or on another replica; false when they
     * have none running by that id.
     */
    async cancel(userId: string, id: string): Promise<boolean> {
      const local = running.get(keyOf(userId, id))
      if (local) {
        local.cancel()
        return true
      }
      const marked = await db
        .updateTable('query_history')
        .set({ cancel_requested_at: now() })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('status', '=', 'running')
        .returning('id')
        .execute()
      return marked.length > 0
    },
    close() {
      running.clear()
      unwatch()
    },
  }
}

export type RunningQueries = ReturnType<typeof createRunningQueries>
