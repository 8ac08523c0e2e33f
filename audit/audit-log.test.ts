import { randomBytes } from 'node:crypto'
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import { checkpointDirectory } from './audit-checkpoints.js'
import { auditEntryHash, deriveAuditKeys } from './audit-entry.js'
import { type AuditLog, createAuditLog } from './audit-log.js'
import type { AuditTables } from './audit-tables.js'
import { auditMigrations } from './migrations.js'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute, 0, 123))

describe.each(TEST_BACKENDS)('audit log on %s', (backend) => {
  let test: TestDatabase<AuditTables>
  let dir: string
  let key: Buffer
  let log: AuditLog
  const anchorOf = (secret = key) => checkpointDirectory(dir, secret, 'test')
  const logWith = (secret = key) =>
    createAuditLog(test.db, { key: secret, anchor: anchorOf(secret) })
  const checkpointTime = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/.source

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [auditMigrations],
    })
  })
  afterAll(() => test.close())

  // Each test starts from an empty trail of its own, with checkpoints of its own.
  beforeEach(async () => {
    await ownerDoes(test.db, sql`delete from audit_log`)
    dir = await mkdtemp(join(tmpdir(), 'audit-checkpoints-'))
    key = randomBytes(32)
    log = logWith()
    return async () => {
      await log.checkpoint().catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    }
  })

  const appendSome = async (count: number, from = 1) => {
    for (let n = from; n < from + count; n++) {
      await log.append(
        {
          actor: { id: `u_${n}`, name: `officer.${n}` },
          action: 'test.append',
          outcome: 'succeeded',
          subject: { type: 'Test', id: String(n) },
          details: { n, nested: { list: [n, 'x'] } },
        },
        at(n),
      )
    }
  }

  it('chains every entry to the one before with the key, and verifies', async () => {
    const first = await log.append(
      {
        actor: { id: 'u_1', name: 'officer.moh' },
        action: 'auth.sign-in',
        outcome: 'succeeded',
        details: { method: 'dev', z: 1, a: [1, 'b'] },
      },
      at(1),
    )
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) })
    // Concurrent appends still form one chain.
    await Promise.all(
      [2, 3, 4, 5].map((n) =>
        log.append(
          {
            actor: { name: 'system' },
            action: 'test.append',
            outcome: 'succeeded',
            subject: { type: 'Test', id: String(n) },
          },
          at(n),
        ),
      ),
    )
    const entries = await log.list()
    expect(entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1])
    for (const [newer, older] of entries.slice(0, -1).map((e, i) => [e, entries[i + 1]] as const)) {
      expect(newer.prevHash).toBe(older?.hash)
    }
    // Keyed: the hash is not what anyone without the key could compute.
    const { hash, ...unhashed } = first
    expect(hash).toBe(auditEntryHash(unhashed, deriveAuditKeys(key).chain))
    expect(hash).not.toBe(auditEntryHash(unhashed))
    await log.checkpoint()
    expect(await log.verify()).toEqual({
      ok: true,
      entries: 5,
      headHash: entries[0]?.hash,
      checkpoint: { at: expect.stringMatching(checkpointTime), entries: 5 },
    })
    expect(entries.at(-1)?.details).toEqual({ method: 'dev', z: 1, a: [1, 'b'] })
  })

  it('anchors the head outside the database with each append, by itself', async () => {
    await appendSome(3)
    const anchored = async () => (await anchorOf().read()).checkpoints.map((c) => c.entries)
    expect(await anchored()).toEqual([1, 2, 3])
    // An entry appended inside a caller's transaction is anchored once that has committed.
    await test.db.transaction().execute(async (trx) => {
      await log.append(
        { actor: { name: 'system' }, action: 'test.within', outcome: 'succeeded' },
        at(9),
        trx as unknown as Kysely<unknown>,
      )
    })
    await expect.poll(anchored, { timeout: 10_000 }).toEqual([1, 2, 3, 4])
  })

  it('refuses changes made through the product', async () => {
    await appendSome(2)
    await expect(
      sql`update audit_log set actor = 'someone else' where seq = 2`.execute(test.db),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/)
    await expect(sql`delete from audit_log where seq = 2`.execute(test.db)).rejects.toThrow(
      /append-only: DELETE refused/,
    )
  })

  it('names an entry edited behind its back', async () => {
    await appendSome(3)
    await ownerDoes(test.db, sql`update audit_log set details = '{"n":1}' where seq = 2`)
    expect(await log.verify()).toEqual({
      ok: false,
      entries: 1,
      firstBadSeq: 2,
      kind: 'altered',
      problem: 'Entry 2 was altered: its content no longer matches its keyed hash',
    })
  })

  it('names an edit re-chained without the key (every later hash recomputed as plain SHA-256)', async () => {
    await appendSome(6)
    await log.checkpoint()
    await rechain(test.db, 3, (entry) => ({ ...entry, actor: 'someone.else' }), undefined)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      kind: 're-chained',
      problem: 'Entry 3 was re-chained: its hash was recomputed without the audit key',
    })
    // Dropping the key id too, so the entries pass for ones from before the trail was keyed.
    await ownerDoes(test.db, sql`update audit_log set key_id = null where seq >= 3`)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      kind: 're-chained',
      problem:
        'Entry 3 was re-chained: it carries no audit key and was written or rehashed without one',
    })
  })

  it('names a re-chain made with the key itself, against the checkpoint', async () => {
    await appendSome(6)
    await rechain(test.db, 2, (entry) => ({ ...entry, outcome: 'denied' }), key)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      kind: 're-chained',
      problem: expect.stringMatching(
        new RegExp(
          `^Entry 2 is not the entry anchored by the checkpoint of ${checkpointTime}: the trail was re-chained \\(entries rewritten or replaced and every later hash recomputed\\)$`,
        ),
      ),
    })
  })

  it('names the newest entries deleted (truncation)', async () => {
    await appendSome(10)
    await ownerDoes(test.db, sql`delete from audit_log where seq > 5`)
    expect(await log.verify()).toEqual({
      ok: false,
      entries: 5,
      firstBadSeq: 6,
      kind: 'truncated',
      problem: expect.stringMatching(
        new RegExp(
          `^The trail was truncated: it ends at entry 5, but the checkpoint of ${checkpointTime} anchored 10 entries; entries 6 to 10 were deleted$`,
        ),
      ),
    })
    // Deleting everything is truncation too.
    await ownerDoes(test.db, sql`delete from audit_log`)
    expect(await log.verify()).toMatchObject({ ok: false, kind: 'truncated', firstBadSeq: 1 })
  })

  it('names a missing entry in the middle', async () => {
    await appendSome(5)
    await ownerDoes(test.db, sql`delete from audit_log where seq = 3`)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      kind: 'missing',
      problem: 'Entry 3 is missing: the chain jumps from 2 to 4',
    })
  })

  it('names checkpoints that were removed or altered', async () => {
    await appendSome(4)
    await log.checkpoint()
    const [file] = await readdir(dir)
    const path = join(dir, String(file))
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace('"entries":4', '"entries":2'))
    expect(await log.verify()).toMatchObject({
      ok: false,
      kind: 'checkpoint-altered',
      problem: `Checkpoint 4 of ${file} in ${dir} was altered or forged: its MAC does not hold`,
    })
    // A checkpoint forged without the key, in a file of its own.
    await writeFile(path, text)
    const forged = JSON.parse(text.trim().split('\n').at(-1) ?? '{}')
    await appendFile(join(dir, 'z.forger.jsonl'), `${JSON.stringify({ ...forged, entries: 2 })}\n`)
    expect(await log.verify()).toMatchObject({ ok: false, kind: 'checkpoint-altered' })
    await rm(dir, { recursive: true })
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      kind: 'unanchored',
      problem: `No checkpoint of the audit trail in ${dir}: its entries cannot be confirmed against an anchor (the checkpoints were removed, or never written)`,
    })
  })

  it('refuses to go on when the database drops an entry silently', async () => {
    await appendSome(2)
    await sql`create function audit_drop() returns trigger language plpgsql as $$
      begin if new.action = 'test.dropped' then return null; end if; return new; end $$`.execute(
      test.db,
    )
    await sql`create trigger audit_drop before insert on audit_log
      for each row execute function audit_drop()`.execute(test.db)
    try {
      const dropped = {
        actor: { name: 'x' },
        action: 'test.dropped',
        outcome: 'succeeded' as const,
      }
      await expect(log.append(dropped, at(3))).rejects.toThrow(
        /The audit entry was not stored: something in the database refused it silently/,
      )
      // Inside a caller's transaction, the step it records fails with it.
      await expect(
        test.db.transaction().execute(async (trx) => {
          await log.append(dropped, at(3), trx as unknown as Kysely<unknown>)
        }),
      ).rejects.toThrow(/not stored/)
    } finally {
      await sql`drop trigger audit_drop on audit_log`.execute(test.db)
      await sql`drop function audit_drop()`.execute(test.db)
    }
    expect(await log.verify()).toMatchObject({ ok: true, entries: 2 })
  })

  it('names rows put outside the chain, before its start or beside it', async () => {
    await appendSome(3)
    const [first] = await log.list({ beforeSeq: 2, limit: 1 })
    const forge = (seq: number) =>
      sql`insert into audit_log (seq, occurred_at, actor, action, outcome, details, prev_hash, hash, key_id)
        values (${seq}, ${first?.occurredAt}, 'forger', 'grant.approved', 'succeeded', '{}', ${'0'.repeat(64)}, ${`f${seq}`.padEnd(64, '0')}, ${first?.keyId})`
    await expect(forge(0).execute(test.db)).rejects.toThrow(/audit_log_seq_from_one/)
    await ownerDoes(test.db, sql`alter table audit_log drop constraint audit_log_seq_from_one`)
    try {
      await forge(0).execute(test.db)
      expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 1 })
    } finally {
      await ownerDoes(test.db, sql`delete from audit_log where seq <= 0`)
      await sql`alter table audit_log add constraint audit_log_seq_from_one check (seq >= 1)`.execute(
        test.db,
      )
    }
  })

  it('calls another key id after entries of the configured key an alteration', async () => {
    await appendSome(3)
    await ownerDoes(test.db, sql`update audit_log set key_id = 'oldkey000000' where seq = 2`)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      kind: 'altered',
      problem: 'Entry 2 was altered: it names audit key oldkey000000, unlike the entries before it',
    })
  })

  it('says so when the checkpoints cannot be read, rather than failing', async () => {
    await appendSome(2)
    await rm(dir, { recursive: true })
    await writeFile(dir, 'not a directory')
    expect(await log.verify()).toMatchObject({
      ok: false,
      kind: 'unanchored',
      problem: `The checkpoints in ${dir} cannot be read (ENOTDIR): the trail cannot be confirmed against its anchor`,
    })
    await rm(dir)
  })

  it('says when the trail was written with another key', async () => {
    await appendSome(2)
    const other = randomBytes(32)
    expect(await logWith(other).verify()).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      kind: 'wrong-key',
      problem: `Entry 1 names audit key ${deriveAuditKeys(key).id}, not the configured key ${deriveAuditKeys(other).id}: set AUDIT_KEY to the key this trail was written with`,
    })
  })

  it('accepts entries chained before the trail was keyed, at its start only', async () => {
    // Two entries as the trail wrote them before it had a key: plain SHA-256, no key id.
    let prevHash = '0'.repeat(64)
    for (const seq of [1, 2]) {
      const entry = {
        seq,
        occurredAt: at(seq),
        actorId: undefined,
        actor: 'system',
        action: 'legacy',
        outcome: 'succeeded',
        subjectType: undefined,
        subjectId: undefined,
        details: {},
        requestId: undefined,
        prevHash,
      }
      const hash = auditEntryHash(entry)
      await sql`insert into audit_log (seq, occurred_at, actor, action, outcome, details, prev_hash, hash)
        values (${seq}, ${entry.occurredAt}, 'system', 'legacy', 'succeeded', '{}', ${prevHash}, ${hash})`.execute(
        test.db,
      )
      prevHash = hash
    }
    await log.checkpoint()
    await appendSome(2, 3)
    await log.checkpoint()
    expect(await log.verify()).toMatchObject({ ok: true, entries: 4 })
    // Rewriting an unkeyed entry breaks the keyed entry after it.
    await rechain(test.db, 1, (entry) => ({ ...entry, actor: 'forger' }), undefined, 2)
    expect(await log.verify()).toMatchObject({ ok: false, firstBadSeq: 2, kind: 're-chained' })
  })
})

/**
 * Runs a statement as someone with the table owner's rights would: the append-only trigger
 * switched off for it, and on again after.
 */
async function ownerDoes(db: Kysely<AuditTables>, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_log disable trigger audit_log_no_change`.execute(trx)
    await statement.execute(trx)
    await sql`alter table audit_log enable trigger audit_log_no_change`.execute(trx)
  })
}

type Row = {
  seq: number
  occurred_at: Date
  actor_id: string | null
  actor: string
  action: string
  outcome: string
  subject_type: string | null
  subject_id: string | null
  details: Record<string, unknown>
  request_id: string | null
  prev_hash: string
  hash: string
}

/**
 * What a forger with owner rights does: rewrites entry `from` with `edit` and recomputes its hash
 * and every later one, with `key` (an insider holding it) or without (plain SHA-256), up to
 * `until` (default: the head).
 */
async function rechain(
  db: Kysely<AuditTables>,
  from: number,
  edit: (entry: Row) => Row,
  key: Buffer | undefined,
  until = Number.POSITIVE_INFINITY,
) {
  const rows = (await sql<Row>`select * from audit_log order by seq`.execute(db)).rows
  const chainKey = key && deriveAuditKeys(key).chain
  let prevHash = rows.find((r) => Number(r.seq) === from - 1)?.hash ?? '0'.repeat(64)
  for (const original of rows.filter((r) => Number(r.seq) >= from && Number(r.seq) <= until)) {
    const row = Number(original.seq) === from ? edit(original) : original
    const hash = auditEntryHash(
      {
        seq: Number(row.seq),
        occurredAt: new Date(row.occurred_at),
        actorId: row.actor_id ?? undefined,
        actor: row.actor,
        action: row.action,
        outcome: row.outcome,
        subjectType: row.subject_type ?? undefined,
        subjectId: row.subject_id ?? undefined,
        details: row.details,
        requestId: row.request_id ?? undefined,
        prevHash,
      },
      chainKey,
    )
    await ownerDoes(
      db,
      sql`update audit_log set actor = ${row.actor}, outcome = ${row.outcome},
        prev_hash = ${prevHash}, hash = ${hash} where seq = ${row.seq}`,
    )
    prevHash = hash
  }
}
