import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { BacklogBatch, LineageBacklog } from './backlog.js'
import { isRunEvent } from './events.js'
import type { LineageTables } from './lineage-tables.js'

/** Delivered events are kept this long, so a run can show where its events went. */
const KEEP_DELIVERED_MS = 7 * 24 * 3600_000

/**
 * The backlog as a table (`lineage_outbox`): events for external transports survive a restart,
 * and each run can show whether its events reached them. Claims lock the transport's oldest
 * pending rows and lease them with a token, so two servers never send the same event and a late
 * answer to a lost lease changes nothing.
 */
export function tableBacklog(db: Kysely<LineageTables>): LineageBacklog {
  let lastPrune = 0
  return {
    durable: true,
    async add(event, transports, now) {
      if (transports.length === 0) return
      const runId = isRunEvent(event) ? event.run.runId : null
      await db
        .insertInto('lineage_outbox')
        .values(
          transports.map((transport) => ({
            transport,
            run_id: runId,
            payload: JSON.stringify(event),
            created_at: now,
            next_attempt_at: now,
          })),
        )
        .execute()
    },
    async claim(transport, limit, now, leaseMs) {
      const token = randomUUID()
      return db.transaction().execute(async (trx) => {
        const oldest = await trx
          .selectFrom('lineage_outbox')
          .select(['id', 'payload', 'attempts', 'next_attempt_at'])
          .where('transport', '=', transport)
          .where('delivered_at', 'is', null)
          .orderBy('id')
          .limit(limit)
          .forUpdate()
          .execute()
        const due: typeof oldest = []
        for (const row of oldest) {
          if (row.next_attempt_at > now) break
          due.push(row)
        }
        if (due.length === 0) return { batch: null, dueAt: oldest[0]?.next_attempt_at ?? null }
        const ids = due.map((row) => String(row.id))
        await trx
          .updateTable('lineage_outbox')
          .set({ claim_token: token, next_attempt_at: new Date(now.getTime() + leaseMs) })
          .where('id', 'in', ids)
          .execute()
        const batch: BacklogBatch = {
          ids,
          events: due.map((row) => row.payload),
          attempts: due[0]?.attempts ?? 0,
          claim: token,
        }
        return { batch, dueAt: null }
      })
    },
    async delivered(transport, batch, now) {
      await db
        .updateTable('lineage_outbox')
        .set({ delivered_at: now, claim_token: null, last_error: null })
        .where('id', 'in', batch.ids)
        .where('claim_token', '=', batch.claim)
        .execute()
      if (now.getTime() - lastPrune > 3600_000) {
        lastPrune = now.getTime()
        await db
          .deleteFrom('lineage_outbox')
          .where('transport', '=', transport)
          .where('delivered_at', '<', new Date(now.getTime() - KEEP_DELIVERED_MS))
          .execute()
      }
    },
    async failed(_transport, batch, error, retryAt) {
      await db
        .updateTable('lineage_outbox')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: error.slice(0, 1000),
          next_attempt_at: retryAt,
          claim_token: null,
        }))
        .where('id', 'in', batch.ids)
        .where('claim_token', '=', batch.claim)
        .execute()
    },
    async counts(transport) {
      const row = await db
        .selectFrom('lineage_outbox')
        .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('created_at').as('oldest')])
        .where('transport', '=', transport)
        .where('delivered_at', 'is', null)
        .executeTakeFirstOrThrow()
      return { pending: Number(row.n), oldestPendingAt: row.oldest ?? null }
    },
  }
}
