import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Kysely } from 'kysely'
import type { CoreTables } from './core-tables.js'

/** This process on record, beating while it lives; what other processes left behind when they died. */
export interface ProcessRegistry {
  /** This process's id, written on the work it starts (queries, Trusted Centre runs). */
  readonly id: string
  /** Processes that stopped beating more than the timeout ago, without signing off. */
  deadProcesses(): Promise<string[]>
  /** Every process on record, alive or not yet forgotten (this one included). */
  knownProcesses(): Promise<string[]>
  /** Forgets dead processes once what they left unfinished is dealt with. */
  forget(ids: readonly string[]): Promise<void>
  /** Signs off: stops beating and removes this process from the record. */
  stop(): Promise<void>
}

/**
 * Puts this process on record (servers and commands alike) and beats every third of the timeout,
 * so any replica can tell a process that died (kill -9, a lost machine) from one that is busy, and
 * mark the work it left unfinished as failed, with a reason.
 */
export async function registerProcess(
  db: Kysely<CoreTables>,
  options: { kind: string; timeoutSeconds: number; now?: () => Date },
): Promise<ProcessRegistry> {
  const now = options.now ?? (() => new Date())
  const id = `proc_${randomUUID()}`
  const started = now()
  await db
    .insertInto('processes')
    .values({
      id,
      kind: options.kind,
      host: hostname(),
      pid: process.pid,
      started_at: started,
      heartbeat_at: started,
    })
    .execute()
  const beat = setInterval(
    () => {
      // A missed beat is made up by the next one; only a long silence reads as death.
      db.updateTable('processes')
        .set({ heartbeat_at: now() })
        .where('id', '=', id)
        .execute()
        .catch(() => {})
    },
    (options.timeoutSeconds * 1000) / 3,
  )
  beat.unref()
  return {
    id,
    async deadProcesses() {
      const rows = await db
        .selectFrom('processes')
        .select('id')
        .where('heartbeat_at', '<', new Date(now().getTime() - options.timeoutSeconds * 1000))
        .where('id', '<>', id)
        .execute()
      return rows.map((r) => r.id)
    },
    async knownProcesses() {
      const rows = await db.selectFrom('processes').select('id').execute()
      return rows.map((r) => r.id)
    },
    async forget(ids) {
      if (ids.length === 0) return
      await db
        .deleteFrom('processes')
        .where('id', 'in', [...ids])
        .execute()
    },
    async stop() {
      clearInterval(beat)
      await db.deleteFrom('processes').where('id', '=', id).execute()
    },
  }
}
