import { type Kysely, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { TEST_BACKENDS } from '../testing/index.js'
import { auditEntryHash, deriveAuditKeys } from './audit-entry.js'
import { createAuditLog } from './audit-log.js'
import { at, checkpointTime, useAuditTrail } from './audit-log-test-kit.js'

describe.each(TEST_BACKENDS)('audit log on %s: appending', (backend) => {
  const trail = useAuditTrail(backend)

  it('chains every entry to the one before with the key, and verifies', async () => {
    const first = await trail.log.append(
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
        trail.log.append(
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
    const entries = await trail.log.list()
    expect(entries.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1])
    for (const [newer, older] of entries.slice(0, -1).map((e, i) => [e, entries[i + 1]] as const)) {
      expect(newer.prevHash).toBe(older?.hash)
    }
    // Keyed: the hash is not what anyone without the key could compute.
    const { hash, ...unhashed } = first
    expect(hash).toBe(auditEntryHash(unhashed, deriveAuditKeys(trail.key).chain))
    expect(hash).not.toBe(auditEntryHash(unhashed))
    await trail.log.checkpoint()
    expect(await trail.log.verify()).toEqual({
      ok: true,
      entries: 5,
      headHash: entries[0]?.hash,
      checkpoint: { at: expect.stringMatching(checkpointTime), entries: 5 },
    })
    expect(entries.at(-1)?.details).toEqual({ method: 'dev', z: 1, a: [1, 'b'] })
  })

  it('writes appends made at once in shared transactions, failing only an entry the database refuses', async () => {
    // The chain's lock is taken once a transaction: counted, it counts the transactions.
    let transactions = 0
    const counted = trail.db.withPlugin({
      transformQuery({ node }) {
        if (node.kind === 'RawNode' && node.sqlFragments.join('').includes('pg_advisory_xact_lock'))
          transactions++
        return node
      },
      transformResult: async ({ result }) => result,
    })
    const log = createAuditLog(counted, { key: trail.key, anchor: trail.anchorOf() })
    const appendAt = (n: number, details: Record<string, unknown> = { n }) =>
      log.append(
        {
          actor: { name: 'system' },
          action: 'test.append',
          outcome: 'succeeded',
          subject: { type: 'Test', id: String(n) },
          details,
        },
        at(n),
      )
    const first = await Promise.all(Array.from({ length: 20 }, (_, n) => appendAt(n + 1)))
    expect(first.map((entry) => entry.seq)).toEqual(Array.from({ length: 20 }, (_, n) => n + 1))
    expect(first.map((entry) => entry.occurredAt)).toEqual(first.map((_, n) => at(n + 1)))
    expect(transactions).toBeLessThan(20)
    // A text PostgreSQL cannot store in JSON (a NUL character) fails its own append only.
    const second = await Promise.allSettled(
      [21, 22, 23, 24].map((n) => appendAt(n, n === 23 ? { note: 'a \u0000 inside' } : { n })),
    )
    expect(second.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ])
    const entries = await trail.log.list()
    expect(entries.map((e) => e.subjectId)).toEqual(
      ['24', '22', '21'].concat(Array.from({ length: 20 }, (_, n) => String(20 - n))),
    )
    await log.checkpoint()
    expect(await trail.log.verify()).toMatchObject({ ok: true, entries: 23 })
  })

  it('keeps one chain when another log appends in between, or an append is rolled back', async () => {
    const entry = (n: number) => ({
      actor: { name: 'system' },
      action: 'test.append',
      outcome: 'succeeded' as const,
      subject: { type: 'Test', id: String(n) },
    })
    // A log chains onto the head it last wrote while nobody else writes (two appends to learn it).
    await trail.appendSome(3)
    // Another replica's log (anchored elsewhere) moves the head behind its back.
    await createAuditLog(trail.db, { key: trail.key }).append(entry(4), at(4))
    await trail.log.append(entry(5), at(5))
    // An append rolled back with its caller's transaction leaves the head where it was.
    await expect(
      trail.db.transaction().execute(async (trx) => {
        await trail.log.append(entry(6), at(6), trx as unknown as Kysely<unknown>)
        throw new Error('the step failed')
      }),
    ).rejects.toThrow('the step failed')
    await trail.log.append(entry(7), at(7))
    await trail.log.append(entry(8), at(8))
    const entries = await trail.log.list()
    expect(entries.map((e) => e.subjectId)).toEqual(['8', '7', '5', '4', '3', '2', '1'])
    expect(entries.map((e) => e.seq)).toEqual([7, 6, 5, 4, 3, 2, 1])
    for (const [newer, older] of entries.slice(0, -1).map((e, i) => [e, entries[i + 1]] as const))
      expect(newer.prevHash).toBe(older?.hash)
    await trail.log.checkpoint()
    expect(await trail.log.verify()).toMatchObject({ ok: true, entries: 7 })
  })

  it('anchors the head outside the database with each append, by itself', async () => {
    await trail.appendSome(3)
    const anchored = async () => (await trail.anchorOf().read()).checkpoints.map((c) => c.entries)
    expect(await anchored()).toEqual([1, 2, 3])
    // An entry appended inside a caller's transaction is anchored once that has committed.
    await trail.db.transaction().execute(async (trx) => {
      await trail.log.append(
        { actor: { name: 'system' }, action: 'test.within', outcome: 'succeeded' },
        at(9),
        trx as unknown as Kysely<unknown>,
      )
    })
    await expect.poll(anchored, { timeout: 10_000 }).toEqual([1, 2, 3, 4])
  })

  it('refuses changes made through the product', async () => {
    await trail.appendSome(2)
    await expect(
      sql`update audit_log set actor = 'someone else' where seq = 2`.execute(trail.db),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/)
    await expect(sql`delete from audit_log where seq = 2`.execute(trail.db)).rejects.toThrow(
      /append-only: DELETE refused/,
    )
  })

  it('refuses to go on when the database drops an entry silently', async () => {
    await trail.appendSome(2)
    await sql`create function audit_drop() returns trigger language plpgsql as $$
      begin if new.action = 'test.dropped' then return null; end if; return new; end $$`.execute(
      trail.db,
    )
    await sql`create trigger audit_drop before insert on audit_log
      for each row execute function audit_drop()`.execute(trail.db)
    try {
      const dropped = {
        actor: { name: 'x' },
        action: 'test.dropped',
        outcome: 'succeeded' as const,
      }
      await expect(trail.log.append(dropped, at(3))).rejects.toThrow(
        /The audit entry was not stored: something in the database refused it silently/,
      )
      // Inside a caller's transaction, the step it records fails with it.
      await expect(
        trail.db.transaction().execute(async (trx) => {
          await trail.log.append(dropped, at(3), trx as unknown as Kysely<unknown>)
        }),
      ).rejects.toThrow(/not stored/)
    } finally {
      await sql`drop trigger audit_drop on audit_log`.execute(trail.db)
      await sql`drop function audit_drop()`.execute(trail.db)
    }
    expect(await trail.log.verify()).toMatchObject({ ok: true, entries: 2 })
  })
})
