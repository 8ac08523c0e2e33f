import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openDatabase } from '../../core/index.js'
import {
  createTestPostgresDatabase,
  type Replica,
  signInAs,
  startReplica,
  stopReplica,
  type TestPostgresDatabase,
} from '../../testing/index.js'

// A deployment's very first start: two replicas launched at the same moment on an empty data
// directory and an empty database. They take turns (an advisory lock): the feeds are generated
// and ingested once, every dataset published once, and both serve.
describe('two replicas starting together on nothing', () => {
  let database: TestPostgresDatabase
  let dataDir: string
  let replicas: Replica[] = []

  beforeAll(async () => {
    database = await createTestPostgresDatabase(inject('postgresUrl'))
    dataDir = await mkdtemp(join(tmpdir(), 'portal-first-start-'))
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      FIXTURE_SCALE: '0.1',
      DEV_SIGN_IN: 'true',
      LOG_LEVEL: 'silent',
    }
    replicas = await Promise.all([startReplica(env), startReplica(env)])
  })
  afterAll(async () => {
    await Promise.all(replicas.map(stopReplica))
    await database?.drop()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('loads the data once and both replicas serve it', async () => {
    const db = await openDatabase<unknown>({ kind: 'postgres', url: database.url, poolSize: 1 })
    try {
      // Every feed file was ingested by exactly one run (a repeat would be a no-op, not a second
      // accepted run).
      const ingests = await sql<{ subject: string; runs: number }>`
        select subject, count(*)::int as runs from tc_runs
        where kind = 'ingest' and status = 'succeeded' group by subject`.execute(db)
      expect(ingests.rows.length).toBeGreaterThan(5)
      expect(ingests.rows.filter((r) => r.runs !== 1)).toEqual([])
      // A second replica publishing what the first already had would add an identical version.
      const versions = await sql<{ dataset: string; content: string; versions: number }>`
        select d.slug as dataset, v.content_sha256 as content, count(*)::int as versions
        from dataset_versions v join datasets d on d.id = v.dataset_id
        group by d.slug, v.content_sha256`.execute(db)
      expect(versions.rows.length).toBeGreaterThan(5)
      expect(versions.rows.filter((r) => r.versions !== 1)).toEqual([])
      const failed = await sql<{ subject: string }>`
        select subject from tc_runs where status = 'failed'`.execute(db)
      expect(failed.rows).toEqual([])
    } finally {
      await db.destroy()
    }
    for (const replica of replicas) {
      const officer = await signInAs(replica, 'officer.moh')
      const res = await replica.request('/api/search?q=population', { headers: officer })
      expect(res.status).toBe(200)
    }
  })

  it('generates one development pseudonym key, readable by its owner only', async () => {
    expect((await stat(join(dataDir, 'secrets'))).mode & 0o777).toBe(0o700)
    expect((await stat(join(dataDir, 'secrets', 'pseudonym-key'))).mode & 0o777).toBe(0o600)
  })
})
