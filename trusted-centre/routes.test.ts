import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, openTestRuntime, signInAs, type TestRuntime } from '../testing/index.js'
import { SLA_ADDRESSES } from './contracts/ssot-feeds.js'

/**
 * A wrong file delivered as a feed: its first line is a row of someone's data. What every
 * officer reads of the refused run (the lineage of its ingest job, the graph) says what was wrong
 * in the contract's terms and quotes nothing of the file; only the stewards of the agency running
 * the feed's Trusted Centre (SLA, for TC-SLA) read the line itself.
 */
describe('failed deliveries through the API', () => {
  let runtime: TestRuntime
  let app: ReturnType<typeof createTestApp>
  const as: Record<string, Record<string, string>> = {}
  const get = async (path: string, who: string) => {
    const res = await app.request(path, { headers: as[who] })
    return { status: res.status, text: await res.text() }
  }
  // Nothing of these may reach anyone but the Trusted Centre's stewards.
  const secrets = ['S9912345A', 'Tan Secret Person', '#12-345', 'Tan_Secret']
  const firstLine = `S9912345A,Tan Secret Person,#12-345,Tan_Secret`

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    app = createTestApp(runtime)
    for (const who of ['officer.moe', 'steward.dos', 'steward.sla', 'admin', 'auditor'])
      as[who] = await signInAs(app, who)
  })
  afterAll(() => runtime.dispose())

  it('refuses a wrong file without quoting it to officers; its stewards read the line', async () => {
    const file = join(runtime.dataDir, 'wrong-file.csv')
    await writeFile(file, `${firstLine}\nS7654321B,Another Person,#01-01,Lim\n`)
    const refused = await runtime.trustedCentre.ingest('sla_addresses', file)
    expect(refused.outcome).toBe('refused')
    const columns = SLA_ADDRESSES.columns.length
    expect(refused.run.message).toBe(
      `Header of the sla_addresses delivery does not match contract v1: expected ${columns} columns, found 4; missing columns: ${SLA_ADDRESSES.columns.map((c) => c.name).join(', ')}; 4 columns not in the contract`,
    )

    // What officers read: the ingest job's runs (with the FAIL event's errorMessage), its node
    // in the graph, lineage search, and the feed's contract.
    const runs = await get(
      '/api/v1/namespaces/gov-data-portal/jobs/ingest.sla_addresses/runs',
      'officer.moe',
    )
    expect(runs.status).toBe(200)
    expect(runs.text).toContain('does not match contract v1: expected')
    const officerViews = [
      runs,
      await get('/api/v1/lineage?nodeId=job:gov-data-portal:ingest.sla_addresses', 'officer.moe'),
      await get('/api/v1/lineage?nodeId=dataset:feeds://sla:sla_addresses', 'officer.moe'),
      await get('/api/v1/search?q=sla_addresses', 'officer.moe'),
      await get('/api/feeds/sla_addresses', 'officer.moe'),
    ]
    for (const view of officerViews) {
      expect(view.status).toBe(200)
      for (const secret of secrets) expect(view.text).not.toContain(secret)
    }
    // Not in the run record either (the CLI's `runs`, the operator's view, reads it).
    const [run] = await runtime.trustedCentre.listRuns({ limit: 1 })
    expect(run?.id).toBe(refused.run.id)
    for (const secret of secrets) expect(JSON.stringify(run)).not.toContain(secret)
    // Nor in the events kept for the lineage store's consumers.
    const stored = await runtime.db
      .selectFrom('lineage_events')
      .select('payload')
      .where('job_name', '=', 'ingest.sla_addresses')
      .execute()
    expect(stored.length).toBeGreaterThan(0)
    for (const secret of secrets) expect(JSON.stringify(stored)).not.toContain(secret)

    // The Trusted Centre's stewards read the line as it came.
    const path = '/api/feeds/sla_addresses/failed-deliveries'
    const read = await app.request(path, { headers: as['steward.sla'] })
    expect(read.status).toBe(200)
    const { data } = (await read.json()) as {
      data: { runId: string; message: string; firstLine: string | null }[]
    }
    expect(data[0]).toMatchObject({
      runId: refused.run.id,
      message: refused.run.message,
      firstLine,
    })
    // Nobody else: other agencies' stewards, officers, administrators and auditors alike.
    for (const who of ['officer.moe', 'steward.dos', 'admin', 'auditor']) {
      const other = await get(path, who)
      expect(other.status, who).toBe(403)
      for (const secret of secrets) expect(other.text).not.toContain(secret)
    }
    expect((await app.request(path)).status).toBe(401)
    expect((await get('/api/feeds/no_such_feed/failed-deliveries', 'steward.sla')).status).toBe(404)
    // A steward of DOS reads DOS's centre's failures (none here), not SLA's.
    expect((await get('/api/feeds/dos_persons/failed-deliveries', 'steward.dos')).status).toBe(200)
  })
})
