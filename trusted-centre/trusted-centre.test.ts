import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  type CatalogTables,
  catalogMigrations,
  createDatasetStore,
  type DatasetStore,
} from '../catalog/index.js'
import { type DuckDBInstance, openDuckDb, systemAbility } from '../core/index.js'
import {
  type FixtureManifest,
  generateFixtures,
  openTestDatabase,
  TEST_BACKENDS,
  type TestDatabase,
} from '../fixtures/index.js'
import { readRows, withConnection } from './duckdb-sql.js'
import { trustedCentreMigrations } from './migrations.js'
import type { TrustedCentreTables } from './tc-tables.js'
import { createTrustedCentre, type TrustedCentre } from './trusted-centre.js'

/** The reason each quarantined defect kind must carry. */
const EXPECTED_REASONS: Record<string, RegExp> = {
  bad_checksum: /^uinfin: '[STFGM]\d{7}[A-Z]' is not an NRIC\/FIN with a valid check letter$/,
  invalid_postal_sector: /^reg_postal: '.{6}' is not a six-digit postal code in a valid sector$/,
  exact_duplicate: /^exact duplicate of row \d+$/,
  postal_nil: /^postal: 'NIL' is not a six-digit postal code in a valid sector$/,
  outside_singapore: /^latitude: '[\d.]+' is outside 1.15..1.48$/,
}

describe.each(TEST_BACKENDS)('trusted centre on %s', (backend) => {
  let test: TestDatabase<CatalogTables & TrustedCentreTables>
  let duckdb: DuckDBInstance
  let dataDir: string
  let inbox: string
  let manifest: FixtureManifest
  let catalog: DatasetStore
  let tc: TrustedCentre

  const parquetRows = <T>(path: string, select = '*') =>
    withConnection(
      () => duckdb.connect(),
      (conn) => readRows<T>(conn, `SELECT ${select} FROM read_parquet('${join(dataDir, path)}')`),
    )

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [catalogMigrations, trustedCentreMigrations],
    })
    duckdb = await openDuckDb({ threads: 2, memoryLimit: '1GB' })
    dataDir = await mkdtemp(join(tmpdir(), 'tc-'))
    inbox = join(dataDir, 'feeds', 'inbox')
    manifest = await generateFixtures({ directory: inbox, seed: 42, scale: 0.3 })
    catalog = createDatasetStore(test.db)
    tc = createTrustedCentre({
      db: test.db,
      catalog,
      duckdb,
      dataDir,
      pseudonymKey: 'test-pseudonym-key-0001',
    })
  })
  afterAll(async () => {
    await test.close()
    duckdb.closeSync()
    await rm(dataDir, { recursive: true, force: true })
  })

  it('quarantines every refused defect with its row and reason, and counts reconcile', async () => {
    const results = await tc.ingestDirectory(inbox)
    expect(results.map((r) => [r.outcome, r.run.subject])).toEqual([
      ['ingested', 'dos_persons'],
      ['ingested', 'sla_addresses'],
    ])
    for (const { run } of results) {
      const feed = manifest.feeds.find((f) => f.feed === run.subject)
      expect(run.rowsIn).toBe(feed?.rows)
      expect(run.rowsIn).toBe((run.accepted ?? 0) + (run.quarantined ?? 0))
      const quarantined = await parquetRows<{ row: string; reason: string; raw_text: string }>(
        run.quarantinePath ?? '',
      )
      const accepted = await parquetRows<{ n: string }>(run.stagingPath ?? '', 'count(*) AS n')
      expect(Number(accepted[0]?.n)).toBe(run.accepted)
      expect(quarantined.length).toBe(run.quarantined)

      const refused = manifest.defects.filter(
        (d) => d.feed === run.subject && d.kind in EXPECTED_REASONS,
      )
      expect(refused.length).toBeGreaterThan(0)
      const byRow = new Map(quarantined.map((q) => [Number(q.row), q]))
      for (const defect of refused) {
        expect(byRow.get(defect.row)?.reason, `${defect.kind} at row ${defect.row}`).toMatch(
          EXPECTED_REASONS[defect.kind] as RegExp,
        )
      }
      // Nothing is refused that was not injected on purpose.
      expect(new Set(quarantined.map((q) => Number(q.row)))).toEqual(
        new Set(refused.map((d) => d.row)),
      )
    }
    const lines = (await readFile(join(inbox, 'dos_persons.csv'), 'utf8')).split('\n')
    const checksum = manifest.defects.find((d) => d.kind === 'bad_checksum')
    const [persons] = results
    const quarantined = await parquetRows<{ row: string; raw_text: string }>(
      persons?.run.quarantinePath ?? '',
    )
    expect(quarantined.find((q) => Number(q.row) === checksum?.row)?.raw_text).toBe(
      lines[checksum?.row ?? 0],
    )
  })

  it('treats a repeated delivery as a no-op that names the earlier run', async () => {
    const before = await tc.listRuns()
    const again = await tc.ingest('dos_persons', join(inbox, 'dos_persons.csv'))
    expect(again.outcome).toBe('already-delivered')
    expect(again.run.id).toBe(before.find((r) => r.subject === 'dos_persons')?.id)
    expect(await tc.listRuns()).toHaveLength(before.length)
  })

  it('refuses a delivery whose header breaks the contract, keeping the file', async () => {
    const file = join(dataDir, 'renamed.csv')
    const original = await readFile(join(inbox, 'sla_addresses.csv'), 'utf8')
    await writeFile(
      file,
      original.replace('postal,blk_no', 'postcode,blk_no').replace(',synthetic', ''),
    )
    const result = await tc.ingest('sla_addresses', file)
    expect(result.outcome).toBe('refused')
    expect(result.run.message).toBe(
      'Header of the sla_addresses delivery does not match contract v1: missing columns: postal, synthetic; unexpected columns: postcode',
    )
    expect(await readdir(join(dataDir, 'feeds', 'sla', 'sla_addresses'))).toHaveLength(2)
  })

  it('numbers rows correctly around structural faults', async () => {
    const lines = (await readFile(join(inbox, 'sla_addresses.csv'), 'utf8')).trimEnd().split('\n')
    const header = lines[0] as string
    const good = lines.slice(1, 6).filter((l) => !l.startsWith('NIL'))
    const file = join(dataDir, 'broken.csv')
    await writeFile(
      file,
      [
        header,
        good[0],
        `${good[1]},extra`,
        good[2],
        'just,three,fields',
        good[3],
        '999999,"open quote,x',
      ].join('\n'),
    )
    const result = await tc.ingest('sla_addresses', file)
    expect(result.run).toMatchObject({ rowsIn: 6, accepted: 3, quarantined: 3 })
    const quarantined = await parquetRows<{ row: string; reason: string }>(
      result.run.quarantinePath ?? '',
      'row, reason',
    )
    expect(quarantined.map((q) => [Number(q.row), q.reason.split(':')[0]])).toEqual([
      [2, 'TOO MANY COLUMNS'],
      [4, 'MISSING COLUMNS'],
      [6, 'UNQUOTED VALUE'],
    ])
    const staged = await parquetRows<{ _row: string }>(result.run.stagingPath ?? '', '_row')
    expect(staged.map((s) => Number(s._row))).toEqual([1, 3, 5])
  })

  it('fuses persons with addresses into a published version, once', async () => {
    const [first] = await tc.fuse()
    expect(first?.publication).toMatchObject({ version: 1, created: true })
    const [again] = await tc.fuse()
    expect(again?.publication).toMatchObject({ version: 1, created: false })
    expect(again?.run.message).toBe('Unchanged: person-address-pa v1 is current')
    expect(await readdir(join(dataDir, 'tc', 'person-address-pa'))).toEqual(['v1.parquet'])

    const dataset = await catalog.findDataset('person-address-pa', systemAbility())
    const rows = await parquetRows<Record<string, unknown>>('tc/person-address-pa/v1.parquet')
    const persons = await parquetRows<{ n: string }>(
      (await tc.listRuns()).find((r) => r.subject === 'dos_persons')?.stagingPath ?? '',
      'count(DISTINCT uinfin) AS n',
    )
    expect(dataset?.currentVersion?.rowCount).toBe(rows.length)
    expect(rows.length).toBe(Number(persons[0]?.n))
    expect(dataset?.columns.map((c) => c.name)).toEqual(Object.keys(rows[0] ?? {}))
    // No NRIC/FIN leaves the Trusted Centre in clear.
    expect(JSON.stringify(rows)).not.toMatch(/[STFGM]\d{7}[A-Z]/)
    const unmatched = rows.filter((r) => r.address_source === 'UNMATCHED')
    const flagged = manifest.defects.filter((d) => d.kind === 'postal_not_in_pool')
    expect(unmatched.length).toBeGreaterThanOrEqual(flagged.length)
    expect(
      rows
        .filter((r) => r.address_source === 'SLA_MATCHED')
        .every((r) => typeof r.planning_area_name === 'string'),
    ).toBe(true)
  })
})
