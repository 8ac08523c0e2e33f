import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  createTestApp,
  openTestRuntime,
  runCli,
  signInAs,
  type TestRuntime,
} from '../testing/index.js'
import { canonicalJson } from '../text/index.js'

/**
 * Someone with the database owner's rights (who can switch the append-only triggers off) tampers
 * with the trail behind the product's back; the auditor's verification through the API and the
 * operator's through the CLI name what was done.
 */
describe('a tampered audit trail', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  let auditor: Record<string, string>
  beforeAll(async () => {
    runtime = await openTestRuntime({
      backend: 'postgres',
      postgresUrl: inject('postgresUrl'),
      scale: 0.05,
    })
    app = createTestApp(runtime)
    auditor = await signInAs(app, 'auditor')
    // Some consequential work, each step audited.
    for (const name of ['officer.moh', 'steward.dos', 'leader.mddi']) await signInAs(app, name)
  })
  afterAll(() => runtime.dispose())

  const verifyThroughApi = async () =>
    (
      (await (await app.request('/api/audit/verify', { headers: auditor })).json()) as {
        data: { ok: boolean; kind?: string; problem?: string; firstBadSeq?: number }
      }
    ).data
  const verifyThroughCli = async () => {
    let out = ''
    const code = await runCli(
      ['verify-audit'],
      {
        DATA_DIR: runtime.dataDir,
        LOG_LEVEL: 'silent',
        DEV_SIGN_IN: 'true',
        DATABASE_URL: runtime.config.DATABASE_URL ?? '',
      },
      (t) => {
        out += t
      },
      () => undefined,
    )
    return { code, out }
  }
  const asOwner = (statement: ReturnType<typeof sql>) =>
    runtime.db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_change`.execute(trx)
      await statement.execute(trx)
      await sql`alter table audit_log enable trigger audit_log_no_change`.execute(trx)
    })
  const head = async () =>
    Number(
      (await sql<{ n: string }>`select max(seq) as n from audit_log`.execute(runtime.db)).rows[0]
        ?.n,
    )

  it('verifies while untouched, against its checkpoint', async () => {
    expect(await verifyThroughApi()).toMatchObject({
      ok: true,
      checkpoint: { entries: expect.any(Number) },
    })
    const { code, out } = await verifyThroughCli()
    expect(code).toBe(0)
    expect(out).toMatch(
      /^Audit log intact: \d+ entries, head [0-9a-f]{64}; matches the checkpoint of /,
    )
  })

  it('names the newest five entries deleted', async () => {
    const last = await head()
    await asOwner(sql`delete from audit_log where seq > ${last - 5}`)
    expect(await verifyThroughApi()).toMatchObject({
      ok: false,
      kind: 'truncated',
      firstBadSeq: last - 4,
      problem: expect.stringContaining(`entries ${last - 4} to ${last} were deleted`),
    })
  })

  it('names an edit re-chained with plain SHA-256, through the API and the CLI', async () => {
    // Rewrites entry 2's actor and recomputes every later hash the way the trail once did.
    const rows = (
      await sql<Record<string, unknown> & { seq: string; hash: string }>`
        select * from audit_log order by seq`.execute(runtime.db)
    ).rows
    let prevHash = String(rows[0]?.hash)
    for (const row of rows.slice(1)) {
      const actor = Number(row.seq) === 2 ? 'someone.else' : String(row.actor)
      const content = canonicalJson({
        seq: Number(row.seq),
        occurredAt: row.occurred_at,
        actorId: row.actor_id ?? null,
        actor,
        action: row.action,
        outcome: row.outcome,
        subjectType: row.subject_type ?? null,
        subjectId: row.subject_id ?? null,
        details: row.details,
        requestId: row.request_id ?? null,
      })
      const hash = createHash('sha256').update(`${prevHash}\n${content}`).digest('hex')
      await asOwner(
        sql`update audit_log set actor = ${actor}, prev_hash = ${prevHash}, hash = ${hash} where seq = ${row.seq}`,
      )
      prevHash = hash
    }
    expect(await verifyThroughApi()).toMatchObject({
      ok: false,
      kind: 're-chained',
      firstBadSeq: 2,
      problem: 'Entry 2 was re-chained: its hash was recomputed without the audit key',
    })
    const { code, out } = await verifyThroughCli()
    expect(code).toBe(1)
    expect(out).toBe(
      'Audit log BROKEN at entry 2 (re-chained): Entry 2 was re-chained: its hash was recomputed without the audit key\n',
    )
  })
})
