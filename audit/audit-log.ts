import { type Kysely, type Selectable, sql } from 'kysely'
import {
  type AuditEvent,
  type AuditRecorder,
  createGroupCommit,
  isDatabaseUnavailable,
  type Outcome,
} from '../core/index.js'
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
   * record, or not at all): the chain is locked once for all of them, and stored in a statement.
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
   * The head this log last chained an entry to: the next append's head too, unless another
   * process (or a rolled-back transaction) came between. Guessed only while the guesses hit, so
   * a log sharing the trail with busy others costs what reading the head does.
   */
  let guess: { head: ChainHead; trusted: boolean } | undefined

  /**
   * Entries in a row of the chain, inside `trx`: the chain's lock is taken once, and one
   * statement (per thousand entries) stores them, on the head guessed, or else read.
   */
  async function writeAll(trx: Kysely<AuditTables>, events: readonly TimedEvent[]) {
    if (events.length === 0) return []
    await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx)
    if (guess?.trusted) {
      const entries = chained(guess.head, events)
      if (await insertChained(trx, entries, keys.id)) return remember(entries, true)
    }
    const head = await headIn(trx)
    const entries = chained(head, events)
    if (!(await insertChained(trx, entries, keys.id))) throw notStored()
    // Had the head been guessed, it would have been right: the next one is guessed again.
    return remember(entries, guess?.head.hash === head.hash)
  }

  function remember(entries: AuditEntry[], trusted: boolean) {
    const last = entries.at(-1)
    if (last) guess = { head: { seq: last.seq, hash: last.hash }, trusted }
    return entries
  }

  function chained(head: ChainHead, events: readonly TimedEvent[]): AuditEntry[] {
    let seq = head.seq
    let prevHash = head.hash
    return events.map(({ event, now }) => {
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
  }

  const anchoring = anchor
    ? anchorHeads(anchor, () => headOf(db), options.checkpointDelayMs ?? CHECKPOINT_DELAY_MS)
    : undefined

  /** Entries in a transaction of their own, anchored before the callers hear of them. */
  async function writeAlone(events: readonly TimedEvent[]): Promise<AuditEntry[]> {
    const entries = await db.transaction().execute((trx) => writeAll(trx, events))
    const last = entries.at(-1)
    if (entries.length !== events.length || !last)
      throw new Error('The audit entry was not written')
    // A failing anchor is retried by checkpoint().
    await anchoring?.anchor({ entries: last.seq, headHash: last.hash }).catch(() => undefined)
    return entries
  }

  /**
   * Appends made outside a caller's transaction, group-committed: those made while a group is
   * being written go together in the next (one lock of the chain, one statement, one commit, one
   * anchor), so concurrent requests do not queue one by one on the chain's lock, each holding a
   * database connection. If a group's transaction fails, each of its entries is written alone,
   * so only an entry the database refuses fails (unless the database is away: then all do).
   */
  const appendsAlone = createGroupCommit<TimedEvent, AuditEntry>(
    async (events): Promise<Outcome<AuditEntry>[]> => {
      try {
        return (await writeAlone(events)).map((value) => ({ ok: true, value }))
      } catch (error) {
        // With the database away, writing each alone would only fail again, one by one.
        if (events.length === 1 || isDatabaseUnavailable(error))
          return events.map(() => ({ ok: false, error }))
        const outcomes: Outcome<AuditEntry>[] = []
        for (const event of events)
          outcomes.push(
            await writeAlone([event]).then(
              ([value]) => (value ? { ok: true, value } : { ok: false, error: notStored() }),
              (error: unknown) => ({ ok: false, error }),
            ),
          )
        return outcomes
      }
    },
    { maxItems: 1000 },
  )

  return {
    async append(event, now, within) {
      if (!within) return appendsAlone.submit({ event, now })
      // Committed (or not) with the caller's transaction: anchored once that has ended.
      const [entry] = await writeAll(within as Kysely<AuditTables>, [{ event, now }])
      if (!entry) throw new Error('The audit entry was not written')
      anchoring?.soon()
      return entry
    },

    async appendAll(events, now, within) {
      const entries = await writeAll(
        within as Kysely<AuditTables>,
        events.map((event) => ({ event, now })),
      )
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

/** An event to append, and when it happened. */
interface TimedEvent {
  event: AuditEvent
  now: Date
}

/** An entry's place in the chain: what the next one links to. */
interface ChainHead {
  seq: number
  hash: string
}

/** The head of the chain as `trx` sees it (the chain's lock held, so no other can move it). */
async function headIn(trx: Kysely<AuditTables>): Promise<ChainHead> {
  const last = await trx
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return { seq: Number(last?.seq ?? 0), hash: last?.hash ?? GENESIS_HASH }
}

/** A row's columns as JSON carries them to the insert (one parameter, whatever the count). */
const ROW_COLUMNS = [
  ['seq', 'bigint'],
  ['occurred_at', 'timestamptz'],
  ['actor_id', 'text'],
  ['actor', 'text'],
  ['action', 'text'],
  ['outcome', 'text'],
  ['subject_type', 'text'],
  ['subject_id', 'text'],
  ['details', 'jsonb'],
  ['request_id', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['key_id', 'text'],
] as const
const COLUMN_NAMES = sql.raw(ROW_COLUMNS.map(([name]) => name).join(', '))
const COLUMN_TYPES = sql.raw(ROW_COLUMNS.map((column) => column.join(' ')).join(', '))

const notStored = () =>
  new Error(
    'The audit entry was not stored: something in the database refused it silently (a rule or trigger on audit_log); nothing was done',
  )

/**
 * Stores entries chained in order, one statement per thousand, each only if the chain's head is
 * still the entry its first links to (checked in the statement, with the chain's lock held).
 * False when the head was another, and nothing was stored.
 */
async function insertChained(
  trx: Kysely<AuditTables>,
  entries: readonly AuditEntry[],
  keyId: string,
): Promise<boolean> {
  for (let i = 0; i < entries.length; i += 1000) {
    const chunk = entries.slice(i, i + 1000)
    const rows = chunk.map((entry) => ({
      seq: entry.seq,
      occurred_at: entry.occurredAt.toISOString(),
      actor_id: entry.actorId ?? null,
      actor: entry.actor,
      action: entry.action,
      outcome: entry.outcome,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      details: entry.details,
      request_id: entry.requestId ?? null,
      prev_hash: entry.prevHash,
      hash: entry.hash,
      key_id: keyId,
    }))
    const { rows: stored } = await sql<{ seq: string | number }>`
      insert into audit_log (${COLUMN_NAMES})
      select ${COLUMN_NAMES} from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${COLUMN_TYPES})
      where coalesce((select hash from audit_log order by seq desc limit 1), ${GENESIS_HASH})
        = ${chunk[0]?.prevHash}
      returning seq`.execute(trx)
    // The first statement finding another head stored nothing: the caller chains anew. Later
    // ones follow the first, under the lock: a row missing there is one the database dropped.
    if (stored.length === 0 && i === 0) return false
    // A rule or trigger put on the table behind the product's back could drop an entry
    // silently: then the step it records fails with it rather than going unaudited.
    const seqs = new Set(stored.map((row) => Number(row.seq)))
    if (seqs.size !== chunk.length || chunk.some((entry) => !seqs.has(entry.seq))) throw notStored()
  }
  return true
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
  const head = await headIn(db)
  return { entries: head.seq, headHash: head.hash }
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
