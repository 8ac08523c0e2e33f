import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../../testing/index.js'
import type { LineageTables } from '../lineage-tables.js'
import { lineageMigrations } from '../migrations.js'
import { entityKey } from './entity-id.js'
import { latestRuns, runsOfJob } from './run-reads.js'

const NS = 'gov-data-portal'
const daily = { namespace: NS, name: 'fuse.daily' }
const twice = { namespace: NS, name: 'fuse.twice' }
const idle = { namespace: NS, name: 'fuse.idle' }
const at = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000)

describe.each(TEST_BACKENDS)('run reads on %s', (backend) => {
  let test: TestDatabase<LineageTables>

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [lineageMigrations],
    })
    // A year of daily runs, inserted out of order; the newest by update is not the newest start.
    const days = Array.from({ length: 365 }, (_, d) => (d * 97) % 365)
    await test.db
      .insertInto('lineage_runs')
      .values([
        ...days.map((d) => ({
          run_id: `daily-${d}`,
          job_namespace: daily.namespace,
          job_name: daily.name,
          state: 'COMPLETED',
          facets: '{}',
          outputs: '[]',
          quality: '[]',
          started_at: at(d),
          updated_at: d === 100 ? at(400) : at(d),
        })),
        {
          run_id: 'twice-1',
          job_namespace: NS,
          job_name: twice.name,
          state: 'FAILED',
          facets: '{}',
          outputs: '[]',
          quality: '[]',
          updated_at: at(2),
        },
        {
          run_id: 'twice-2',
          job_namespace: NS,
          job_name: twice.name,
          state: 'RUNNING',
          facets: '{}',
          outputs: '[]',
          quality: '[]',
          updated_at: at(3),
        },
      ])
      .execute()
  })
  afterAll(() => test.close())

  it('gives each job its most recently updated run, and none to a job that has not run', async () => {
    const latest = await latestRuns(test.db, [daily, twice, idle, daily])
    expect([...latest.keys()].sort()).toEqual([entityKey(daily), entityKey(twice)].sort())
    expect(latest.get(entityKey(daily))?.id).toBe('daily-100')
    expect(latest.get(entityKey(twice))).toMatchObject({ id: 'twice-2', state: 'RUNNING' })
  })

  it("pages a job's runs newest update first, counting them all", async () => {
    const page = await runsOfJob(test.db, daily, { limit: 3, offset: 1 })
    expect(page.totalCount).toBe(365)
    expect(page.runs.map((r) => r.id)).toEqual(['daily-364', 'daily-363', 'daily-362'])
  })
})
