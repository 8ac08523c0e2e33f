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
import { DOS_PERSONS } from './contracts/ssot-feeds.js'
import { trustedCentreMigrations } from './migrations.js'
import { createReferenceTables, REFERENCE_TABLES } from './reference-tables.js'
import { referenceDataset } from './runs/reference-lineage.js'
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
    expect(fusion?.inputs?.map((i) => i.name)).toEqual([
      'dos_persons',
      'sla_addresses',
      'ref_planning_areas',
      'ref_postal_sectors',
    ])
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

  it("say how each staged column comes from the delivery's column, as the feed contract has it", async () => {
    const persons = events.find(
      (e) => e.job.name === 'ingest.dos_persons' && e.eventType === 'COMPLETE',
    )
    const delivery = { namespace: 'feeds://ica', name: 'dos_persons' }
    const fields = (facets: unknown) =>
      (facets as { schema: { fields: { name: string; type: string }[] } }).schema.fields.map(
        (f) => `${f.name} ${f.type}`,
      )
    // The delivery carries the columns its contract promises; staging adds where each row came from.
    const promised = DOS_PERSONS.columns.map((c) => `${c.name} ${c.type}`)
    expect(persons?.inputs?.[0]).toMatchObject(delivery)
    expect(fields(persons?.inputs?.[0]?.facets)).toEqual(promised)
    const staged = persons?.outputs?.[0]
    expect(fields(staged?.facets)).toEqual(['_row BIGINT', '_run VARCHAR', ...promised])
    // As the staged file has them.
    const connection = await duckdb.connect()
    try {
      const file = join(dataDir, 'staging', 'dos_persons', '*.parquet')
      const described = await connection.runAndReadAll(
        `DESCRIBE SELECT * FROM read_parquet('${file}')`,
      )
      const columns = described.getRows().map((row) => `${row[0]} ${row[1]}`)
      expect(columns.slice(0, 2)).toEqual(['_row BIGINT', '_run VARCHAR'])
      expect(columns.map((c) => c.split(' ')[0])).toEqual(
        fields(staged?.facets).map((f) => f.split(' ')[0]),
      )
    } finally {
      connection.closeSync()
    }
    const lineage = staged?.facets?.columnLineage as unknown as {
      fields: Record<string, { inputFields: { field: string; transformations: unknown[] }[] }>
      dataset: { field: string; transformations: unknown[] }[]
    }
    // Normalised on the way in (trimmed, upper-cased), not masked: fusion masks it later.
    expect(lineage.fields.uinfin?.inputFields).toEqual([
      {
        ...delivery,
        field: 'uinfin',
        transformations: [
          {
            type: 'DIRECT',
            subtype: 'TRANSFORMATION',
            description: 'Surrounding blanks removed and letters upper-cased',
          },
        ],
      },
    ])
    // Read as the date the contract promises: copied (a value that is not one is quarantined).
    expect(lineage.fields.dob?.inputFields).toEqual([
      { ...delivery, field: 'dob', transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }] },
    ])
    // Every staged column is accounted for, each from the delivered column of its name.
    expect(Object.keys(lineage.fields)).toEqual([
      '_row',
      '_run',
      ...DOS_PERSONS.columns.map((c) => c.name),
    ])
    expect(lineage.fields._row?.inputFields).toEqual([])
    for (const column of DOS_PERSONS.columns)
      expect(lineage.fields[column.name]?.inputFields.map((i) => i.field)).toEqual([column.name])
    // Which rows are kept depends on every column: the contract's checks and duplicates.
    expect(lineage.dataset.map((d) => d.field)).toEqual(DOS_PERSONS.columns.map((c) => c.name))
    expect(lineage.dataset[0]?.transformations).toEqual([
      expect.objectContaining({ type: 'INDIRECT', subtype: 'FILTER' }),
    ])
  })

  it('name the reference tables a fusion reads as its inputs, with their schemas', () => {
    const fusion = events.find(
      (e) => e.job.name === 'fuse.person_address_pa' && e.eventType === 'COMPLETE',
    )
    const areas = fusion?.inputs?.find((i) => i.name === 'ref_planning_areas')
    expect(areas).toMatchObject({
      namespace: 'gov-data-portal.reference',
      facets: {
        schema: {
          fields: expect.arrayContaining([
            expect.objectContaining({ name: 'name', type: 'VARCHAR' }),
          ]),
        },
      },
    })
    const lineage = fusion?.outputs?.[0]?.facets?.columnLineage as unknown as {
      fields: Record<string, { inputFields: unknown[] }>
    }
    expect(lineage.fields.planning_area_name?.inputFields).toEqual([
      {
        namespace: 'gov-data-portal.reference',
        name: 'ref_planning_areas',
        field: 'name',
        transformations: [{ type: 'DIRECT', subtype: 'IDENTITY' }],
      },
    ])
    const business = events.find(
      (e) => e.job.name === 'fuse.business_by_planning_area' && e.eventType === 'COMPLETE',
    )
    expect(business?.inputs?.map((i) => i.name)).toContain('ref_ssic_divisions')
  })

  it('type the reference tables as DuckDB loads them', async () => {
    const connection = await duckdb.connect()
    try {
      await createReferenceTables(connection)
      for (const table of Object.keys(REFERENCE_TABLES) as (keyof typeof REFERENCE_TABLES)[]) {
        const loaded = await connection.runAndReadAll(`DESCRIBE ${table}`)
        const schema = referenceDataset(table).facets?.schema as unknown as {
          fields: { name: string; type: string }[]
        }
        expect(
          schema.fields.map((f) => `${f.name} ${f.type}`),
          table,
        ).toEqual(loaded.getRows().map((row) => `${row[0]} ${row[1]}`))
      }
    } finally {
      connection.closeSync()
    }
  })
})
