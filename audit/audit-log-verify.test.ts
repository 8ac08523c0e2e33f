import { randomBytes } from 'node:crypto'
import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { TEST_BACKENDS } from '../testing/index.js'
import { auditEntryHash, deriveAuditKeys } from './audit-entry.js'
import { at, checkpointTime, ownerDoes, useAuditTrail } from './audit-log-test-kit.js'
import type { AuditTables } from './audit-tables.js'

describe.each(TEST_BACKENDS)('audit log on %s: verifying its entries', (backend) => {
  const trail = useAuditTrail(backend)

  it('names an entry edited behind its back', async () => {
    await trail.appendSome(3)
    await ownerDoes(trail.db, sql`update audit_log set details = '{"n":1}' where seq = 2`)
    expect(await trail.log.verify()).toEqual({
      ok: false,
      entries: 1,
      firstBadSeq: 2,
      kind: 'altered',
      problem: 'Entry 2 was altered: its content no longer matches its keyed hash',
    })
  })

  it('names an edit re-chained without the key (every later hash recomputed as plain SHA-256)', async () => {
    await trail.appendSome(6)
    await trail.log.checkpoint()
    await rechain(trail.db, 3, (entry) => ({ ...entry, actor: 'someone.else' }), undefined)
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      kind: 're-chained',
      problem: 'Entry 3 was re-chained: its hash was recomputed without the audit key',
    })
    // Dropping the key id too, so the entries pass for ones from before the trail was keyed.
    await ownerDoes(trail.db, sql`update audit_log set key_id = null where seq >= 3`)
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      kind: 're-chained',
      problem:
        'Entry 3 was re-chained: it carries no audit key and was written or rehashed without one',
    })
  })

  it('names a re-chain made with the key itself, against the checkpoint', async () => {
    await trail.appendSome(6)
    await rechain(trail.db, 2, (entry) => ({ ...entry, outcome: 'denied' }), trail.key)
    expect(await trail.log.verify()).toMatchObject({
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
    await trail.appendSome(10)
    await ownerDoes(trail.db, sql`delete from audit_log where seq > 5`)
    expect(await trail.log.verify()).toEqual({
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
    await ownerDoes(trail.db, sql`delete from audit_log`)
    expect(await trail.log.verify()).toMatchObject({ ok: false, kind: 'truncated', firstBadSeq: 1 })
  })

  it('names a missing entry in the middle', async () => {
    await trail.appendSome(5)
    await ownerDoes(trail.db, sql`delete from audit_log where seq = 3`)
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      kind: 'missing',
      problem: 'Entry 3 is missing: the chain jumps from 2 to 4',
    })
  })

  it('names rows put outside the chain, before its start or beside it', async () => {
    await trail.appendSome(3)
    const [first] = await trail.log.list({ beforeSeq: 2, limit: 1 })
    const forge = (seq: number) =>
      sql`insert into audit_log (seq, occurred_at, actor, action, outcome, details, prev_hash, hash, key_id)
        values (${seq}, ${first?.occurredAt}, 'forger', 'grant.approved', 'succeeded', '{}', ${'0'.repeat(64)}, ${`f${seq}`.padEnd(64, '0')}, ${first?.keyId})`
    await expect(forge(0).execute(trail.db)).rejects.toThrow(/audit_log_seq_from_one/)
    await ownerDoes(trail.db, sql`alter table audit_log drop constraint audit_log_seq_from_one`)
    try {
      await forge(0).execute(trail.db)
      expect(await trail.log.verify()).toMatchObject({ ok: false, firstBadSeq: 1 })
    } finally {
      await ownerDoes(trail.db, sql`delete from audit_log where seq <= 0`)
      await sql`alter table audit_log add constraint audit_log_seq_from_one check (seq >= 1)`.execute(
        trail.db,
      )
    }
  })

  it('calls another key id after entries of the configured key an alteration', async () => {
    await trail.appendSome(3)
    await ownerDoes(trail.db, sql`update audit_log set key_id = 'oldkey000000' where seq = 2`)
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      kind: 'altered',
      problem: 'Entry 2 was altered: it names audit key oldkey000000, unlike the entries before it',
    })
  })
})

describe.each(TEST_BACKENDS)('audit log on %s: checkpoints and keys', (backend) => {
  const trail = useAuditTrail(backend)

  it('names checkpoints that were removed or altered', async () => {
    await trail.appendSome(4)
    await trail.log.checkpoint()
    const [file] = await readdir(trail.dir)
    const path = join(trail.dir, String(file))
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace('"entries":4', '"entries":2'))
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      kind: 'checkpoint-altered',
      problem: `Checkpoint 4 of ${file} in ${trail.dir} was altered or forged: its MAC does not hold`,
    })
    // A checkpoint forged without the key, in a file of its own.
    await writeFile(path, text)
    const forged = JSON.parse(text.trim().split('\n').at(-1) ?? '{}')
    await appendFile(
      join(trail.dir, 'z.forger.jsonl'),
      `${JSON.stringify({ ...forged, entries: 2 })}\n`,
    )
    expect(await trail.log.verify()).toMatchObject({ ok: false, kind: 'checkpoint-altered' })
    await rm(trail.dir, { recursive: true })
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      kind: 'unanchored',
      problem: `No checkpoint of the audit trail in ${trail.dir}: its entries cannot be confirmed against an anchor (the checkpoints were removed, or never written)`,
    })
  })

  it('says so when the checkpoints cannot be read, rather than failing', async () => {
    await trail.appendSome(2)
    await rm(trail.dir, { recursive: true })
    await writeFile(trail.dir, 'not a directory')
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      kind: 'unanchored',
      problem: `The checkpoints in ${trail.dir} cannot be read (ENOTDIR): the trail cannot be confirmed against its anchor`,
    })
    await rm(trail.dir)
  })

  it('says when the trail was written with another key', async () => {
    await trail.appendSome(2)
    const other = randomBytes(32)
    expect(await trail.logWith(other).verify()).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      kind: 'wrong-key',
      problem: `Entry 1 names audit key ${deriveAuditKeys(trail.key).id}, not the configured key ${deriveAuditKeys(other).id}: set AUDIT_KEY to the key this trail was written with`,
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
        trail.db,
      )
      prevHash = hash
    }
    await trail.log.checkpoint()
    await trail.appendSome(2, 3)
    await trail.log.checkpoint()
    expect(await trail.log.verify()).toMatchObject({ ok: true, entries: 4 })
    // Rewriting an unkeyed entry breaks the keyed entry after it.
    await rechain(trail.db, 1, (entry) => ({ ...entry, actor: 'forger' }), undefined, 2)
    expect(await trail.log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 2,
      kind: 're-chained',
    })
  })
})

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
