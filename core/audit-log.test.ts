import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../fixtures/index.js'
import { createAuditLog } from './audit-log.js'
import { coreMigrations } from './core-migrations.js'
import type { CoreTables } from './identity-tables.js'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute, 0, 123))

describe.each(TEST_BACKENDS)('audit log on %s', (backend) => {
  let test: TestDatabase<CoreTables>
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [coreMigrations],
    })
  })
  afterAll(() => test.close())

  // Simulates someone with database owner rights, who can switch the append-only triggers off.
  const tamper = async (statement: ReturnType<typeof sql>) => {
    await test.db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_change`.execute(trx)
      await statement.execute(trx)
      await sql`alter table audit_log enable trigger audit_log_no_change`.execute(trx)
    })
  }

  it('chains every entry to the one before and verifies', async () => {
    const log = createAuditLog(test.db)
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
    expect(await log.verify()).toEqual({ ok: true, entries: 5, headHash: entries[0]?.hash })
    expect(entries.at(-1)?.details).toEqual({ method: 'dev', z: 1, a: [1, 'b'] })
  })

  it('refuses changes made through the product', async () => {
    await expect(
      sql`update audit_log set actor = 'someone else' where seq = 2`.execute(test.db),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/)
    await expect(sql`delete from audit_log where seq = 2`.execute(test.db)).rejects.toThrow(
      /append-only: DELETE refused/,
    )
  })

  it('names the first altered entry when a row is edited behind its back', async () => {
    await tamper(
      sql`update audit_log set details = '{"method":"oidc","z":1,"a":[1,"b"]}' where seq = 1`,
    )
    expect(await createAuditLog(test.db).verify()).toEqual({
      ok: false,
      entries: 0,
      firstBadSeq: 1,
      problem: 'Entry 1 was altered: its content no longer matches its hash',
    })
    await tamper(
      sql`update audit_log set details = '{"method":"dev","z":1,"a":[1,"b"]}' where seq = 1`,
    )
    expect((await createAuditLog(test.db).verify()).ok).toBe(true)
  })

  it('names a deleted entry, and a forged replacement', async () => {
    const log = createAuditLog(test.db)
    const [third] = await log.list({ beforeSeq: 4, limit: 1 })
    await tamper(sql`delete from audit_log where seq = 3`)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: 'Entry 3 is missing: the chain jumps from 2 to 4',
    })

    // A forger who recomputes the deleted entry's own hash still breaks the link to entry 4.
    await tamper(sql`insert into audit_log (seq, occurred_at, actor, action, outcome, details, prev_hash, hash)
      values (3, ${third?.occurredAt}, 'forger', 'test.append', 'succeeded', '{}', ${third?.prevHash}, ${'f'.repeat(64)})`)
    expect(await log.verify()).toMatchObject({
      ok: false,
      firstBadSeq: 3,
      problem: 'Entry 3 was altered: its content no longer matches its hash',
    })
  })
})
