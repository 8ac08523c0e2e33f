import { createHash } from 'node:crypto'
import { type Kysely, type Selectable, sql } from 'kysely'
import { canonicalJson } from './canonical-json.js'
import type { AuditRow, CoreTables } from './identity-tables.js'

/** Something consequential that happened: who did what to which subject, and how it ended. */
export interface AuditEvent {
  actor: { id?: string; name: string }
  action: string
  outcome: 'succeeded' | 'denied' | 'failed'
  subject?: { type: string; id: string }
  details?: Record<string, unknown>
  requestId?: string
}

/** An appended event with its place in the hash chain. */
export interface AuditEntry {
  seq: number
  occurredAt: Date
  actorId: string | undefined
  actor: string
  action: string
  outcome: string
  subjectType: string | undefined
  subjectId: string | undefined
  details: Record<string, unknown>
  requestId: string | undefined
  prevHash: string
  hash: string
}

/** The outcome of checking the whole chain; a failure names the first entry that is wrong. */
export type AuditVerification =
  | { ok: true; entries: number; headHash: string }
  | { ok: false; entries: number; firstBadSeq: number; problem: string }

export interface AuditLog {
  /**
   * Appends one entry. Given `within` (an open transaction), the entry is part of it: committed
   * with the step it records, or not at all.
   */
  append(event: AuditEvent, now: Date, within?: Kysely<unknown>): Promise<AuditEntry>
  /** Newest first; `beforeSeq` pages backwards. */
  list(options?: { beforeSeq?: number; limit?: number }): Promise<AuditEntry[]>
  /** Every entry in order, a page at a time, for export. */
  entries(): AsyncGenerator<AuditEntry>
  verify(): Promise<AuditVerification>
}

export const GENESIS_HASH = '0'.repeat(64)
// One lock id for the chain: appends are serialised across processes so each links to the last.
const CHAIN_LOCK = 0x6175_6469

/** The hash of an entry: SHA-256 over the previous hash and the canonical JSON of its content. */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  const content = canonicalJson({
    seq: entry.seq,
    occurredAt: entry.occurredAt,
    actorId: entry.actorId ?? null,
    actor: entry.actor,
    action: entry.action,
    outcome: entry.outcome,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    details: entry.details,
    requestId: entry.requestId ?? null,
  })
  return createHash('sha256').update(`${entry.prevHash}\n${content}`).digest('hex')
}

export function createAuditLog(db: Kysely<CoreTables>): AuditLog {
  async function* entries(): AsyncGenerator<AuditEntry> {
    let after = 0
    for (;;) {
      const rows = await db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(1000)
        .execute()
      for (const row of rows) yield rowToEntry(row)
      const last = rows.at(-1)
      if (!last) return
      after = Number(last.seq)
    }
  }

  return {
    async append(event, now, within) {
      const write = async (trx: Kysely<CoreTables>) => {
        await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx)
        const last = await trx
          .selectFrom('audit_log')
          .select(['seq', 'hash'])
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst()
        const partial = {
          seq: Number(last?.seq ?? 0) + 1,
          occurredAt: now,
          actorId: event.actor.id,
          actor: event.actor.name,
          action: event.action,
          outcome: event.outcome,
          subjectType: event.subject?.type,
          subjectId: event.subject?.id,
          details: event.details ?? {},
          requestId: event.requestId,
          prevHash: last?.hash ?? GENESIS_HASH,
        }
        const entry = { ...partial, hash: auditEntryHash(partial) }
        await trx
          .insertInto('audit_log')
          .values({
            seq: entry.seq,
            occurred_at: entry.occurredAt,
            actor_id: entry.actorId ?? null,
            actor: entry.actor,
            action: entry.action,
            outcome: entry.outcome,
            subject_type: entry.subjectType ?? null,
            subject_id: entry.subjectId ?? null,
            details: JSON.stringify(entry.details),
            request_id: entry.requestId ?? null,
            prev_hash: entry.prevHash,
            hash: entry.hash,
          })
          .execute()
        return entry
      }
      return within ? write(within as Kysely<CoreTables>) : db.transaction().execute(write)
    },

    async list(options = {}) {
      let query = db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(Math.min(options.limit ?? 100, 1000))
      if (options.beforeSeq !== undefined) query = query.where('seq', '<', options.beforeSeq)
      return (await query.execute()).map(rowToEntry)
    },

    entries,

    async verify() {
      let expectedSeq = 1
      let prevHash = GENESIS_HASH
      let count = 0
      for await (const entry of entries()) {
        const bad = (problem: string): AuditVerification => ({
          ok: false,
          entries: count,
          firstBadSeq: entry.seq,
          problem,
        })
        if (entry.seq !== expectedSeq) {
          return {
            ok: false,
            entries: count,
            firstBadSeq: expectedSeq,
            problem: `Entry ${expectedSeq} is missing: the chain jumps from ${expectedSeq - 1} to ${entry.seq}`,
          }
        }
        if (entry.prevHash !== prevHash) {
          return bad(
            `Entry ${entry.seq} does not link to entry ${entry.seq - 1}: one of them was altered, replaced or inserted`,
          )
        }
        if (auditEntryHash(entry) !== entry.hash)
          return bad(`Entry ${entry.seq} was altered: its content no longer matches its hash`)
        prevHash = entry.hash
        expectedSeq++
        count++
      }
      return { ok: true, entries: count, headHash: prevHash }
    },
  }
}

function rowToEntry(row: Selectable<AuditRow>): AuditEntry {
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at,
    actorId: row.actor_id ?? undefined,
    actor: row.actor,
    action: row.action,
    outcome: row.outcome,
    subjectType: row.subject_type ?? undefined,
    subjectId: row.subject_id ?? undefined,
    details: row.details,
    requestId: row.request_id ?? undefined,
    prevHash: row.prev_hash,
    hash: row.hash,
  }
}
