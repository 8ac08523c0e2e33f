import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { systemAbility } from '../../identity/index.js'
import { copiesDirectory } from '../../query-service/index.js'
import { recoverInterrupted } from '../../server/index.js'
import {
  call,
  type Replica,
  signInAs,
  startReplica,
  stopReplica,
  useTestPlatform,
} from '../../testing/index.js'

/** At least this many requests are approved in one burst. */
const AT_LEAST = 12

// A server killed (SIGKILL: no chance to tidy up) in the middle of a burst of approvals and of a
// download, on a real PostgreSQL: every approval either happened whole (request approved, one
// grant, one audit entry) or not at all, the download is marked failed, and the audit chain
// still verifies.
const platform = useTestPlatform({
  backend: 'postgres',
  postgresUrl: inject('postgresUrl'),
  env: { PROCESS_TIMEOUT_SECONDS: '2' },
})
let env: Record<string, string>
let first: Replica
/** The replica started after the first was killed; the download test kills it in turn. */
let second: Replica | undefined

beforeAll(async () => {
  const { runtime } = platform
  env = {
    PROCESS_TIMEOUT_SECONDS: '2',
    DATA_DIR: runtime.dataDir,
    DATABASE_URL: runtime.config.DATABASE_URL ?? '',
    FIXTURE_SCALE: String(runtime.config.FIXTURE_SCALE),
    DEV_SIGN_IN: 'true',
    LOG_LEVEL: 'silent',
    // A download long enough to be cut off half-way.
    QUERY_MAX_STREAM_ROWS: '20000000',
  }
  first = await startReplica(env)
})
// Registered after the platform's: runs before it is disposed of.
afterAll(async () => {
  await Promise.all([stopReplica(first), stopReplica(second)])
})

/**
 * Waits until the platform KPIs have been measured again since the last approval committed: each
 * decision asks the replica that took it for a recomputation in the background, which publishes
 * a version of the KPI history. The next test counts versions, and must not see these land.
 */
async function platformKpisMeasuredAgain(): Promise<void> {
  const { db } = platform.runtime
  const last = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('occurred_at').as('at'))
    .where('action', '=', 'request.approve')
    .executeTakeFirstOrThrow()
  await expect
    .poll(
      async () =>
        (await db
          .selectFrom('kpi_computations')
          .select('id')
          .where('trigger', '=', 'access decision')
          // The moment itself, to the millisecond (its string form drops them).
          .where('computed_at', '>=', last.at instanceof Date ? last.at : new Date(String(last.at)))
          .where('history_version', 'is not', null)
          .executeTakeFirst()) !== undefined,
      { timeout: 60_000, interval: 250 },
    )
    .toBe(true)
}

describe('a replica killed mid-work: a burst of approvals', () => {
  it('loses no approval and doubles none; the audit chain verifies; the rest are approved after a restart', async () => {
    // Requests from several officers for several datasets, each decided by its agency's steward.
    const stewardOf: Record<string, string> = {
      DOS: 'steward.dos',
      SLA: 'steward.sla',
      GOVTECH: 'steward.govtech',
      MOH: 'steward.moh',
    }
    // Each with their agency: nobody decides on their own agency's request.
    const requesters = [
      ['officer.moh', 'MOH'],
      ['officer.moe', 'MOE'],
      ['leader.mddi', 'MDDI'],
      ['steward.sla', 'SLA'],
      ['steward.dos', 'DOS'],
    ] as const
    // One approval decides each (Sensitive High data, row by row, takes two stewards).
    const datasets = (await platform.runtime.catalog.listDatasets(systemAbility())).filter(
      (d) => stewardOf[d.agency] !== undefined && d.classification.sensitivity !== 'sensitive-high',
    )
    const sessions = new Map<string, Record<string, string>>()
    const as = async (username: string) => {
      const known = sessions.get(username)
      if (known) return known
      const session = await signInAs(first, username)
      sessions.set(username, session)
      return session
    }
    const requests: { id: string; steward: string }[] = []
    for (const [requester, agency] of requesters)
      for (const dataset of datasets.filter((d) => d.agency !== agency)) {
        const created = await call<{ id: string }>(
          first,
          'POST',
          '/api/requests',
          await as(requester),
          {
            dataset: dataset.slug,
            purpose: `Service planning study of ${dataset.slug} for the 2027 budget cycle`,
            legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
            durationDays: 30,
          },
        )
        // Some pairs cannot be asked for (open data, one's own agency's): they are skipped.
        if (created.status === 201)
          requests.push({ id: created.data.id, steward: stewardOf[dataset.agency] ?? '' })
      }
    expect(requests.length).toBeGreaterThanOrEqual(AT_LEAST)
    const ids = requests.map((r) => r.id)
    for (const steward of new Set(requests.map((r) => r.steward))) await as(steward)

    // All approvals at once; the server is killed as soon as the first one is answered.
    const answered: number[] = []
    const burst = requests.map(({ id, steward }) =>
      call(first, 'POST', `/api/requests/${id}/approve`, sessions.get(steward) ?? {}, {}).then(
        (answer) => answered.push(answer.status),
        () => undefined,
      ),
    )
    await expect.poll(() => answered.length, { timeout: 30_000, interval: 5 }).toBeGreaterThan(0)
    const exited = once(first.process, 'exit')
    first.process.kill('SIGKILL')
    await exited
    await Promise.all(burst)

    const state = async () => {
      const rows = await platform.runtime.db
        .selectFrom('access_requests as r')
        .leftJoin('grants as g', 'g.request_id', 'r.id')
        .select(['r.id', 'r.state', 'g.id as grant'])
        .where('r.id', 'in', ids)
        .execute()
      const audited = await platform.runtime.db
        .selectFrom('audit_log')
        .select('subject_id')
        .where('action', '=', 'request.approve')
        .where('subject_id', 'in', ids)
        .execute()
      return { rows, audited: audited.map((a) => a.subject_id) }
    }
    const afterKill = await state()
    expect(afterKill.rows).toHaveLength(requests.length)
    const approved = afterKill.rows.filter((r) => r.state === 'approved')
    process.stderr.write(
      `Killed mid-burst: ${approved.length} of ${requests.length} approvals had happened, ${answered.length} answered\n`,
    )
    // Whole or nothing: approved with its grant and its audit entry, or still waiting without.
    for (const row of afterKill.rows) {
      expect(['approved', 'submitted']).toContain(row.state)
      expect(row.grant !== null).toBe(row.state === 'approved')
    }
    expect(afterKill.audited.sort()).toEqual(approved.map((r) => r.id).sort())
    // Every approval the steward was told of is on record.
    expect(approved.length).toBeGreaterThanOrEqual(answered.filter((s) => s === 200).length)
    expect((await platform.runtime.audit.verify()).ok).toBe(true)

    // After a restart, the steward approves what is left; nothing is approved twice.
    second = await startReplica(env)
    const restarted = second
    const stewardFor = new Map(requests.map((r) => [r.id, r.steward]))
    const approve = async (id: string) =>
      (
        await call(
          restarted,
          'POST',
          `/api/requests/${id}/approve`,
          await signInAs(restarted, stewardFor.get(id) ?? ''),
          {},
        )
      ).status
    for (const row of afterKill.rows)
      expect(await approve(row.id)).toBe(row.state === 'approved' ? 409 : 200)
    const final = await state()
    expect(final.rows.every((r) => r.state === 'approved' && r.grant !== null)).toBe(true)
    expect(final.audited).toHaveLength(requests.length)
    expect(new Set(final.audited).size).toBe(requests.length)
    expect((await platform.runtime.audit.verify()).ok).toBe(true)
    await platformKpisMeasuredAgain()
  })
})

describe('a replica killed mid-work: a download', () => {
  it('ends a download cut by a killed replica as failed, with the reason, and publishes nothing', async () => {
    const server = second
    if (!server) throw new Error('the approvals test did not restart the server')
    const officer = await signInAs(server, 'officer.moh')
    const versionsBefore = await platform.runtime.db
      .selectFrom('dataset_versions')
      .select(['dataset_id', 'version'])
      .execute()
    const id = 'q_download-killed-0001'
    const res = await server.request('/api/query', {
      method: 'POST',
      headers: { ...officer, 'content-type': 'application/json' },
      body: JSON.stringify({
        id,
        sql: 'SELECT a.*, b.postal_code AS near FROM postal_geocode_reference a CROSS JOIN postal_geocode_reference b',
        format: 'csv',
      }),
    })
    expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200)
    const reader = res.body?.getReader()
    if (!reader) throw new Error('no body')
    const firstChunk = await reader.read()
    expect(firstChunk.value?.byteLength ?? 0).toBeGreaterThan(0)

    const exited = once(server.process, 'exit')
    server.process.kill('SIGKILL')
    await exited
    // The client sees the download break off, not a complete-looking file.
    await expect(
      (async () => {
        for (;;) if ((await reader.read()).done) return 'ended cleanly'
      })(),
    ).rejects.toThrow()

    // What it was writing is still in its temp directory …
    const killed = await platform.runtime.db
      .selectFrom('query_history')
      .select('process_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    const leftBehind = copiesDirectory(platform.runtime.dataDir, killed.process_id ?? '')
    expect(await readdir(leftBehind)).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect(await recoverInterrupted(platform.runtime)).toMatchObject({ queries: 1, files: 1 })
    // … until the process is seen dead: then it is removed.
    expect(existsSync(leftBehind)).toBe(false)
    expect(
      await platform.runtime.db
        .selectFrom('query_history')
        .select(['status', 'error'])
        .where('id', '=', id)
        .executeTakeFirst(),
    ).toEqual({
      status: 'failed',
      error: 'The server running this query stopped before it finished',
    })
    expect(
      await platform.runtime.db
        .selectFrom('dataset_versions')
        .select(['dataset_id', 'version'])
        .execute(),
    ).toEqual(versionsBefore)
    expect((await platform.runtime.audit.verify()).ok).toBe(true)
  })
})
