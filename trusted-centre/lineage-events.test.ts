import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CatalogTables, catalogMigrations, createDatasetStore } from '../catalog/index.js'
import { type DuckDBInstance, openDuckDb } from '../core/index.js'
import { generateFixtures } from '../fixtures/index.js'
import { derivePseudonymKeys } from '../keys/index.js'
import { createEventValidator, type RunEvent } from '../lineage/index.js'
import { openTestDatabase, type TestDatabase } from '../testing/index.js'
import { trustedCentreMigrations } from './migrations.js'
import type { TrustedCentreTables } from './tc-tables.js'
import { createTrustedCentre } from './trusted-centre.js'

describe('OpenLineage events of Trusted Centre runs', () => {
  let test: TestDatabase<CatalogTables & TrustedCentreTables>
  let duckdb: DuckDBInstance
  let dataDir: string
  const events: RunEvent[] = []

  beforeAll(async () => {
    test = await openTestDatabase('pglite', {
      postgresUrl: '',
      migrations: [catalogMigrations, trustedCentreMigrations],
    })
    duckdb = await openDuckDb({ threads: 2, memoryLimit: '1GB' })
    dataDir = await mkdtemp(join(tmpdir(), 'lineage-'))
    await generateFixtures({ directory: join(dataDir, 'inbox'), seed: 3, scale: 0.1 })
    const tc = createTrustedCentre({
      db: test.db,
      catalog: createDatasetStore(test.db),
      duckdb,
      dataDir,
      pseudonyms: derivePseudonymKeys(Buffer.alloc(32, 7)),
      lineage: { record: async (event) => void events.push(event) },
    })
    await tc.ingestDirectory(join(dataDir, 'inbox'))
    await tc.fuse()
    const broken = join(dataDir, 'broken.csv')
    await writeFile(
      broken,
      (await readFile(join(dataDir, 'inbox', 'sla_addresses.csv'), 'utf8')).replace(
        'postal,',
        'postcode,',
      ),
    )
    await tc.ingest('sla_addresses', broken)
  })
  afterAll(async () => {
    await test.close()
    duckdb.closeSync()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('validate against the official OpenLineage schemas, facets included, formats too', () => {
    const validator = createEventValidator()
    expect(events.length).toBeGreaterThan(10)
    expect(
      events.flatMap((event) => {
        const check = validator.check(event)
        return [...check.errors, ...check.warnings].map(
          (p) => `${event.job.name} ${event.eventType}: ${p}`,
        )
      }),
    ).toEqual([])
  })

  it('come as START then COMPLETE or FAIL for each run, with statistics, schema and quality', () => {
    const byRun = new Map<string, RunEvent[]>()
    for (const event of events)
      byRun.set(event.run.runId, [...(byRun.get(event.run.runId) ?? []), event])
    for (const [, runEvents] of byRun) {
      expect(runEvents.map((e) => e.eventType)).toEqual([
        'START',
        expect.stringMatching(/^(COMPLETE|FAIL)$/),
      ])
    }
    const persons = events.find(
      (e) => e.job.name === 'ingest.dos_persons' && e.eventType === 'COMPLETE',
    )
    expect(persons?.inputs?.[0]?.inputFacets?.dataQualityMetrics).toMatchObject({
      rowCount: expect.any(Number),
    })
    expect(persons?.outputs?.map((o) => o.namespace)).toEqual([
      'gov-data-portal.staging',
      'gov-data-portal.quarantine',
    ])
    const fusion = events.find(
      (e) => e.job.name === 'fuse.person_address_pa' && e.eventType === 'COMPLETE',
    )
    expect(fusion?.inputs?.map((i) => i.name)).toEqual(['dos_persons', 'sla_addresses'])
    expect(fusion?.outputs?.[0]).toMatchObject({
      namespace: 'gov-data-portal',
      name: 'person-address-pa',
      facets: { schema: { fields: expect.any(Array) } },
      outputFacets: { outputStatistics: { rowCount: expect.any(Number) } },
    })
    // Quality checks are a run of their own, reading the fused dataset, under the fusion run.
    const check = events.find(
      (e) => e.job.name === 'quality.person_address_pa' && e.eventType === 'COMPLETE',
    )
    expect(check?.run.facets?.parent).toMatchObject({
      run: { runId: fusion?.run.runId },
      job: { name: 'fuse.person_address_pa' },
    })
    expect(check?.inputs?.[0]).toMatchObject({
      name: 'person-address-pa',
      inputFacets: { dataQualityAssertions: { assertions: expect.any(Array) } },
    })
    const refused = events.filter(
      (e) => e.job.name === 'ingest.sla_addresses' && e.eventType === 'FAIL',
    )
    expect(refused[0]?.run.facets?.errorMessage).toMatchObject({
      message: expect.stringMatching(/^Header of the sla_addresses delivery/),
    })
  })
})
