import { type Kysely, type Selectable, sql } from 'kysely'
import type { AuditEvent, AuditRecorder } from '../core/index.js'
import type { AuditAnchor } from './audit-checkpoints.js'
import {
  type AuditEntry,
  type AuditVerification,
  auditEntryHash,
  deriveAuditKeys,
  GENESIS_HASH,
} from './audit-entry.js'
import type { AuditRow, AuditTables } from './audit-tables.js'
import { verifyTrail } from './audit-verify.js'

export interface AuditLog extends AuditRecorder {
  /** Appends one entry (see AuditRecorder), returning it with its place in the chain. */
  append(event: AuditEvent, now: Date, within?: Kysely<unknown>): Promise<AuditEntry>
  /**
   * Appends entries in order, inside the caller's transaction (committed with the steps they
   * record, or not at all): the chain is locked and read once for all of them.
   */
  appendAll(
    events: readonly AuditEvent[],
    now: Date,
    within: Kysely<unknown>,
  ): Promise<AuditEntry[]>
  /** Newest first; `beforeSeq` pages backwards. */
  list(options?: { beforeSeq?: number; limit?: number }): Promise<AuditEntry[]>
  /** Every entry in order, a page at a time, for export. */
  entries(): AsyncGenerator<AuditEntry>
  verify(): Promise<AuditVerification>
  /**
   * Anchors the committed head outside the database when it changed since this log last did.
   * Runs by itself with each append; call it at start, at intervals and on shutdown too.
   */
  checkpoint(): Promise<void>
}

export interface AuditLogOptions {
  /** The audit key (AUDIT_KEY): never stored in the database. */
  key: Buffer
  /** Where the head is anchored; without one, only the keyed chain is checked. */
  anchor?: AuditAnchor
  /**
   * How soon after an append made inside a caller's transaction its head is anchored (one made
   * by the log itself is anchored before append returns).
   */
  checkpointDelayMs?: number
}

// One lock id for the chain: appends are serialised across processes so each links to the last.
const CHAIN_LOCK = 0x6175_6469
const CHECKPOINT_DELAY_MS = 100

export function createAuditLog(db: Kysely<AuditTables>, options: AuditLogOptions): AuditLog {
  const keys = deriveAuditKeys(options.key)
  const anchor = options.anchor

  async function* entries(): AsyncGenerator<AuditEntry> {
    // From the very first row: one forged with a sequence number of 0 or less is walked too.
    let after = Number.MIN_SAFE_INTEGER
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

  /**
   * Entries in a row of the chain, inside `trx`: the chain's lock and its head are read once, and
   * one statement (per thousand entries) stores them.
   */
  async function writeAll(trx: Kysely<AuditTables>, events: readonly AuditEvent[], now: Date) {
    if (events.length === 0) return []
    await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx)
    const last = await trx
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    let seq = Number(last?.seq ?? 0)
    let prevHash = last?.hash ?? GENESIS_HASH
    const entries: AuditEntry[] = events.map((event) => {
      const partial = {
        seq: ++seq,
        occurredAt: now,
        actorId: event.actor.id,
        actor: event.actor.name,
        action: event.action,
        outcome: event.outcome,
        subjectType: event.subject?.type,
        subjectId: event.subject?.id,
        details: event.details ?? {},
        requestId: event.requestId,
        prevHash,
      }
      const entry = { ...partial, hash: auditEntryHash(partial, keys.chain) }
      prevHash = entry.hash
      return entry
    })
    for (let i = 0; i < entries.length; i += 1000) {
      const chunk = entries.slice(i, i + 1000)
      const stored = await trx
        .insertInto('audit_log')
        .values(
          chunk.map((entry) => ({
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
            key_id: keys.id,
          })),
        )
        .returning('seq')
        .execute()
      // A rule or trigger put on the table behind the product's back could drop an entry
      // silently: then the step it records fails with it rather than going unaudited.
      const seqs = new Set(stored.map((row) => Number(row.seq)))
      if (seqs.size !== chunk.length || chunk.some((entry) => !seqs.has(entry.seq)))
        throw new Error(
          'The audit entry was not stored: something in the database refused it silently (a rule or trigger on audit_log); nothing was done',
        )
    }
    return entries
  }

  const anchoring = anchor
    ? anchorHeads(anchor, () => headOf(db), options.checkpointDelayMs ?? CHECKPOINT_DELAY_MS)
    : undefined

  return {
    async append(event, now, within) {
      const write = async (trx: Kysely<AuditTables>) => {
        const [entry] = await writeAll(trx, [event], now)
        if (!entry) throw new Error('The audit entry was not written')
        return entry
      }
      if (within) {
        // Committed (or not) with the caller's transaction: anchored once that has ended.
        const entry = await write(within as Kysely<AuditTables>)
        anchoring?.soon()
        return entry
      }
      const entry = await db.transaction().execute(write)
      // Anchored before the caller hears of it; a failing anchor is retried by checkpoint().
      await anchoring?.anchor({ entries: entry.seq, headHash: entry.hash }).catch(() => undefined)
      return entry
    },

    async appendAll(events, now, within) {
      const entries = await writeAll(within as Kysely<AuditTables>, events, now)
      if (entries.length > 0) anchoring?.soon()
      return entries
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

    verify: () => verifyTrail({ entries: entries(), keys, anchor, extent: () => extentOf(db) }),

    async checkpoint() {
      await anchoring?.anchor(await headOf(db))
    },
  }
}

/** How many rows the table holds and their range of sequence numbers, however they were put. */
async function extentOf(db: Kysely<AuditTables>) {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => [
      eb.fn.countAll<string>().as('rows'),
      eb.fn.min('seq').as('first'),
      eb.fn.max('seq').as('last'),
    ])
    .executeTakeFirst()
  return {
    rows: Number(row?.rows ?? 0),
    first: row?.first == null ? undefined : Number(row.first),
    last: row?.last == null ? undefined : Number(row.last),
  }
}

/** The committed head of the trail: how many entries, and the newest one's hash. */
async function headOf(db: Kysely<AuditTables>): Promise<Head> {
  const head = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return { entries: Number(head?.seq ?? 0), headHash: head?.hash ?? GENESIS_HASH }
}

interface Head {
  entries: number
  headHash: string
}

/**
 * Writes checkpoints one at a time, each of a newer head than the last: heads arriving while one
 * is being written are coalesced into the next write, the newest of them.
 */
function anchorHeads(anchor: AuditAnchor, readHead: () => Promise<Head>, delayMs: number) {
  let anchored = -1
  let wanted: Head | undefined
  let writing: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  const writeWanted = async () => {
    const head = wanted
    wanted = undefined
    if (!head || head.entries <= anchored) return
    await anchor.write({ ...head, at: new Date() })
    anchored = head.entries
  }
  const self = {
    /** Resolves once `head`, or a newer one, is anchored. */
    anchor(head: Head): Promise<void> {
      if (head.entries <= anchored) return Promise.resolve()
      const queued = wanted !== undefined
      if (!wanted || head.entries > wanted.entries) wanted = head
      if (!queued) writing = writing.then(writeWanted, writeWanted)
      return writing
    },
    /** Anchors the committed head a little later (after a caller's transaction ends). */
    soon() {
      if (timer) return
      timer = setTimeout(() => {
        timer = undefined
        readHead()
          .then((head) => self.anchor(head))
          .catch(() => undefined)
      }, delayMs)
      timer.unref()
    },
  }
  return self
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
    keyId: row.key_id ?? undefined,
  }
}
