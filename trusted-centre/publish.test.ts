import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  type CatalogTables,
  catalogMigrations,
  createDatasetStore,
  type DatasetRegistration,
  type DatasetStore,
} from '../catalog/index.js'
import { type DuckDBInstance, openDuckDb, sha256File, withConnection } from '../core/index.js'
import { systemAbility } from '../identity/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import { publishCandidate, writeCandidate } from './publish.js'

const registration: DatasetRegistration = {
  slug: 'planning-area-counts',
  title: 'Counts by planning area',
  description: 'Synthetic',
  agency: 'DOS',
  trustedCentre: 'TC-DoS',
  sourceSsots: ['sla'],
  classification: { security: 'official-closed', sensitivity: 'non-sensitive' },
  updateFrequency: 'monthly',
  columns: [
    { name: 'planning_area_code', description: 'URA planning area', personalData: 'none' },
    { name: 'persons', description: 'Count', personalData: 'none' },
  ],
}
const ROWS = `SELECT * FROM (VALUES ('TP', 12), ('BD', 30)) AS t(planning_area_code, persons)
              ORDER BY planning_area_code`

describe.each(TEST_BACKENDS)('publication on %s', (backend) => {
  let test: TestDatabase<CatalogTables>
  let catalog: DatasetStore
  let duckdb: DuckDBInstance
  let dataDir: string
  const target = (version: number) => join('tc', registration.slug, `v${version}.parquet`)
  const candidateOf = (select: string, name: string) =>
    withConnection(
      () => duckdb.connect(),
      (conn) => writeCandidate(conn, select, join(dataDir, 'tc', registration.slug, name)),
    )

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [catalogMigrations],
    })
    catalog = createDatasetStore(test.db)
    duckdb = await openDuckDb({ threads: 1, memoryLimit: '256MB' })
    dataDir = await mkdtemp(join(tmpdir(), 'publish-'))
  })
  afterAll(async () => {
    await test.close()
    duckdb.closeSync()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('writes a candidate under its temporary name and measures it as DuckDB reads it', async () => {
    const candidate = await candidateOf(ROWS, '.run_a.parquet.partial')
    expect(candidate).toEqual({
      file: join(dataDir, 'tc', registration.slug, '.run_a.parquet.partial'),
      rowCount: 2,
      schema: [
        { name: 'planning_area_code', type: 'VARCHAR' },
        { name: 'persons', type: 'INTEGER' },
      ],
    })
    await rm(candidate.file)
  })

  it('publishes a candidate as the next version under its final name, with its size and digest', async () => {
    const candidate = await candidateOf(ROWS, '.run_b.parquet.partial')
    const size = (await stat(candidate.file)).size
    const digest = await sha256File(candidate.file)
    const published = await publishCandidate({ catalog, dataDir }, candidate, {
      dataset: registration,
      target,
      runId: 'run_b',
    })
    expect(published).toEqual({
      publication: { datasetId: expect.stringMatching(/^d_/), version: 1, created: true },
      byteSize: size,
      contentSha256: digest,
    })
    expect(await readdir(join(dataDir, 'tc', registration.slug))).toEqual(['v1.parquet'])
    expect(await sha256File(join(dataDir, target(1)))).toBe(digest)
    const dataset = await catalog.findDataset(registration.slug, systemAbility())
    expect(dataset?.currentVersion).toMatchObject({
      version: 1,
      rowCount: 2,
      byteSize: size,
      contentSha256: digest,
      quality: undefined,
    })
  })

  it('publishes nothing for a candidate equal to the current version, and removes it', async () => {
    const candidate = await candidateOf(ROWS, '.run_c.parquet.partial')
    const published = await publishCandidate({ catalog, dataDir }, candidate, {
      dataset: registration,
      target,
      runId: 'run_c',
    })
    expect(published.publication).toMatchObject({ version: 1, created: false })
    expect(await readdir(join(dataDir, 'tc', registration.slug))).toEqual(['v1.parquet'])
  })

  it('removes the candidate when the catalogue refuses it', async () => {
    const candidate = await candidateOf(
      `SELECT 'TP' AS planning_area_code, 1 AS persons, 'x' AS undeclared`,
      '.run_d.parquet.partial',
    )
    await expect(
      publishCandidate({ catalog, dataDir }, candidate, {
        dataset: registration,
        target,
        runId: 'run_d',
      }),
    ).rejects.toThrow("Dataset 'planning-area-counts' publishes undeclared columns: undeclared")
    expect(await readdir(join(dataDir, 'tc', registration.slug))).toEqual(['v1.parquet'])
  })
})
