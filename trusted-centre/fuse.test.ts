import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readRows, withConnection } from '../core/index.js'
import type { SampleReport } from '../disclosure/index.js'
import { systemAbility } from '../identity/index.js'
import { hmacHex } from '../keys/index.js'
import { TEST_BACKENDS } from '../testing/index.js'
import { MOH_CHRONIC_REGISTRY } from './contracts/ssot-feeds.js'
import { runPipeline } from './fuse.js'
import { PERSON_ADDRESS_PIPELINE } from './pipelines/person-address-pipeline.js'
import { createRunStore } from './runs/run-store.js'
import { pseudonyms, type TrustedCentreSetup, useTrustedCentre } from './trusted-centre-test-kit.js'

// Each group builds on the one before: samples are checked once every dataset is fused.
describe.each(TEST_BACKENDS)('fusion on %s', (backend) => {
  const setup = useTrustedCentre(backend, { ingested: true })
  describe('of persons with addresses', () => personAddressTests(setup))
  describe('of aggregates and references', () => aggregateTests(setup))
  describe('into samples', () => sampleTests(setup))
})

/** What a pipeline run outside the centre's own `fuse` needs, samples at k = 5. */
function pipelineDeps(setup: TrustedCentreSetup) {
  const { catalog, duckdb, dataDir } = setup
  return {
    runs: createRunStore(setup.db),
    catalog,
    duckdb,
    dataDir,
    pseudonyms,
    sampleK: 5,
    now: () => new Date(),
  }
}

function personAddressTests(setup: TrustedCentreSetup) {
  it("withholds the engine's words when a fusion fails: they may quote the data", async () => {
    const deps = pipelineDeps(setup)
    const broken = {
      ...PERSON_ADDRESS_PIPELINE,
      id: 'broken_cast',
      // Fails while running, on a value of the data: DuckDB's error quotes it.
      sql: `SELECT * FROM (${PERSON_ADDRESS_PIPELINE.sql})
            WHERE CAST((SELECT min(uinfin) FROM dos_persons) AS INTEGER) > 0`,
    }
    await expect(runPipeline(deps, broken)).rejects.toThrow(/Conversion Error/)
    const [run] = await deps.runs.listRuns({ limit: 1 })
    expect(run).toMatchObject({
      subject: 'broken_cast',
      status: 'failed',
      message: 'Fusion failed: the pipeline stopped with an engine error; nothing was published',
    })
    const withheld = await setup.db
      .selectFrom('tc_runs')
      .select('withheld_detail')
      .where('id', '=', run?.id ?? '')
      .executeTakeFirstOrThrow()
    expect(withheld.withheld_detail?.error).toMatch(/Conversion Error.*[STFGM]\d{7}[A-Z]/)
  })

  it('fuses persons with addresses into a published version, once', async () => {
    const [first] = await setup.tc.fuse('person_address_pa')
    expect(first?.publication).toMatchObject({ version: 1, created: true })
    const [again] = await setup.tc.fuse('person_address_pa')
    expect(again?.publication).toMatchObject({ version: 1, created: false })
    expect(again?.run.message).toBe('Unchanged: person-address-pa v1 is current')
    expect(await readdir(join(setup.dataDir, 'tc', 'person-address-pa'))).toEqual(['v1.parquet'])

    const dataset = await setup.catalog.findDataset('person-address-pa', systemAbility())
    const rows = await setup.parquetRows<Record<string, unknown>>('tc/person-address-pa/v1.parquet')
    const persons = await setup.parquetRows<{ n: string }>(
      (await setup.tc.listRuns()).find((r) => r.subject === 'dos_persons')?.stagingPath ?? '',
      'count(DISTINCT uinfin) AS n',
    )
    expect(dataset?.currentVersion?.rowCount).toBe(rows.length)
    expect(rows.length).toBe(Number(persons[0]?.n))
    expect(dataset?.columns.map((c) => c.name)).toEqual(Object.keys(rows[0] ?? {}))
    // No NRIC/FIN leaves the Trusted Centre in clear.
    expect(JSON.stringify(rows)).not.toMatch(/[STFGM]\d{7}[A-Z]/)
    // Flagged defects surface in the fused rows' data-quality flags.
    const mismatched = rows.filter((r) => (r.dq_flags as string[]).includes('block_mismatch'))
    expect(mismatched.length).toBeGreaterThanOrEqual(
      setup.manifest.defects.filter((d) => d.kind === 'block_mismatch').length * 0.8,
    )
    const unmatched = rows.filter((r) => r.address_source === 'UNMATCHED')
    const flagged = setup.manifest.defects.filter((d) => d.kind === 'postal_not_in_pool')
    expect(unmatched.length).toBeGreaterThanOrEqual(flagged.length)
    expect(
      rows
        .filter((r) => r.address_source === 'SLA_MATCHED')
        .every((r) => typeof r.planning_area_name === 'string'),
    ).toBe(true)
  })

  it('publishes the quality of each version, and keeps the old version current when a blocking check fails', async () => {
    const current = await setup.catalog.findDataset('person-address-pa', systemAbility())
    expect(current?.currentVersion?.quality).toMatchObject({ checked: 4, blockingFailures: 0 })
    expect(current?.currentVersion?.quality?.results.map((r) => r.name)).toEqual([
      'not-null(person_key)',
      'unique(person_key)',
      'not-null(age_band)',
      'coverage(address matched by SLA)',
    ])
    const strict = {
      ...PERSON_ADDRESS_PIPELINE,
      sql: PERSON_ADDRESS_PIPELINE.sql.replace("'65+'", "'65 and over'"),
      assertions: [
        ...PERSON_ADDRESS_PIPELINE.assertions,
        {
          kind: 'coverage' as const,
          name: 'every address matched',
          condition: "address_source = 'SLA_MATCHED'",
          min: 1,
          severity: 'blocking' as const,
        },
      ],
    }
    const deps = pipelineDeps(setup)
    const result = await runPipeline(deps, strict)
    expect(result.publication).toBeUndefined()
    expect(result.run).toMatchObject({ status: 'failed', quality: { blockingFailures: 1 } })
    expect(result.run.message).toMatch(
      /^Not published: blocking quality assertion failed: coverage\(every address matched\) observed 0\.\d+, expected at least 1$/,
    )
    const after = await setup.catalog.findDataset('person-address-pa', systemAbility())
    expect(after?.currentVersion).toEqual(current?.currentVersion)
    expect(await readdir(join(setup.dataDir, 'tc', 'person-address-pa'))).toEqual(['v1.parquet'])
  })
}

function aggregateTests(setup: TrustedCentreSetup) {
  it('publishes the business counts with small cells suppressed', async () => {
    const [result] = await setup.tc.fuse('business_by_planning_area')
    expect(result?.publication?.created).toBe(true)
    const cells = await setup.parquetRows<{ entity_count: string | null; suppressed: boolean }>(
      'tc/business-by-planning-area/v1.parquet',
    )
    expect(cells.length).toBeGreaterThan(0)
    expect(cells.some((c) => c.suppressed && c.entity_count === null)).toBe(true)
    for (const cell of cells) {
      if (cell.entity_count !== null) expect(Number(cell.entity_count)).toBeGreaterThanOrEqual(3)
    }
    const [live] = await setup.parquetRows<{ n: string }>(
      'tc/business-by-planning-area/v1.parquet',
      'count(*) AS n',
      "status_group = 'live' AND ssic_section IN ('UNKNOWN')",
    )
    expect(Number(live?.n)).toBe(0)
  })

  it('aggregates sensor readings by planning area and hour, one reading per key, registered stations only', async () => {
    await setup.tc.fuse('sensor_hourly_by_planning_area')
    const path = 'tc/sensor-hourly-by-planning-area/v1.parquet'
    const [keys] = await setup.parquetRows<{
      rows: string
      distinct_keys: string
      readings: string
    }>(
      path,
      'count(*) AS rows, count(DISTINCT (planning_area_code, hour, reading_type)) AS distinct_keys, sum(reading_count) AS readings',
    )
    expect(keys?.rows).toBe(keys?.distinct_keys)
    // Duplicates (exact or conflicting) count once; the unregistered station cannot be placed.
    const staged =
      (await setup.tc.listRuns()).find((r) => r.subject === 'govtech_sensor_readings')
        ?.stagingPath ?? ''
    const [distinct] = await setup.parquetRows<{ n: string }>(
      staged,
      'count(DISTINCT (station_id, reading_type, observed_at)) AS n',
      "station_id <> 'S999'",
    )
    expect(keys?.readings).toBe(distinct?.n)
    const [over] = await setup.parquetRows<{ n: string }>(
      path,
      'count(*) AS n',
      'reading_count > expected_count',
    )
    expect(Number(over?.n)).toBe(0)
  })

  it('publishes the postal geocode reference from the current SLA snapshot', async () => {
    await setup.tc.fuse('postal_geocode_reference')
    const current = (await setup.tc.listRuns()).find(
      (r) => r.subject === 'sla_addresses' && r.status === 'succeeded',
    )
    const [staged] = await setup.parquetRows<{ n: string; no_match: string }>(
      current?.stagingPath ?? '',
      'count(DISTINCT postal) AS n, count(DISTINCT postal) FILTER (WHERE latitude IS NULL) AS no_match',
    )
    const [published] = await setup.parquetRows<{ n: string; no_match: string }>(
      'tc/postal-geocode-reference/v1.parquet',
      "count(*) AS n, count(*) FILTER (WHERE geocode_status = 'NO_MATCH') AS no_match",
    )
    expect(published).toEqual(staged)
  })
}

function sampleTests(setup: TrustedCentreSetup) {
  it('publishes a sample with identifiers masked and every quasi-identifier combination at least k times', async () => {
    const dataset = await setup.catalog.findDataset('person-address-pa', systemAbility())
    expect(dataset?.currentVersion?.sample).toMatchObject({
      status: 'published',
      k: 5,
      rowCount: expect.any(Number),
    })
    const path = 'samples/person-address-pa/v1.parquet'
    const rows = await setup.parquetRows<Record<string, unknown>>(path)
    expect(rows.length).toBe(
      dataset?.currentVersion?.sample?.status === 'published'
        ? dataset.currentVersion.sample.rowCount
        : -1,
    )
    // Every column but masked identifiers and measures is in the k-check, whatever its label.
    const sample = dataset?.currentVersion?.sample
    const report = (sample?.status === 'published' ? sample.details.report : undefined) as
      | SampleReport
      | undefined
    const quasi =
      report?.columns
        .filter((c) => c.treatment === 'quasi-identifier' || c.treatment === 'sensitive')
        .map((c) => c.name) ?? []
    expect(quasi).toContain('region_code')
    expect(quasi.length).toBeGreaterThan(10)
    // The dataset's main dimension is kept, as its pipeline asks.
    expect(report?.hierarchies.find((h) => h.name === 'geography')?.level).toBe('planning area')
    expect(report?.suppressedRows).toBeLessThanOrEqual(50)
    const [rarest] = await withConnection(
      () => setup.duckdb.connect(),
      (conn) =>
        readRows<{ smallest: string }>(
          conn,
          `SELECT min(c) AS smallest FROM (SELECT count(*) AS c FROM read_parquet('${join(setup.dataDir, path)}') GROUP BY ${quasi.join(', ')})`,
        ),
    )
    expect(Number(rarest?.smallest)).toBeGreaterThanOrEqual(5)
    // Each direct identifier is masked- and 16 hex digits of its HMAC under the sample key: the
    // sample's row is found in the version by its masked person_key, and every other matches.
    const direct =
      dataset?.columns.filter((c) => c.personalData === 'direct-identifier').map((c) => c.name) ??
      []
    expect(direct).toEqual(['person_key', 'person_source', 'address_source_record'])
    const mask = (value: unknown) =>
      value === null
        ? null
        : `masked-${hmacHex(pseudonyms.keyOf('sample:person-address-pa/v1'), String(value)).slice(0, 16)}`
    const version = await setup.parquetRows<Record<string, unknown>>(
      'tc/person-address-pa/v1.parquet',
    )
    const byMaskedKey = new Map(version.map((row) => [mask(row.person_key), row]))
    // A masked column whose values repeat among the rows drawn (an address record shared by
    // people living together) joins the k-check: shown masked, or hidden.
    const hidden = new Set(
      report?.columns.filter((c) => c.shownAs === 'hidden').map((c) => c.name) ?? [],
    )
    expect(hidden.has('address_source_record')).toBe(true)
    for (const row of rows) {
      const original = byMaskedKey.get(row.person_key as string)
      expect(original, String(row.person_key)).toBeDefined()
      expect(Object.fromEntries(direct.map((c) => [c, row[c]]))).toEqual(
        Object.fromEntries(direct.map((c) => [c, hidden.has(c) ? '*' : mask(original?.[c])])),
      )
    }
  })

  it('refuses samples of Sensitive-High data, and samples that cannot reach k', async () => {
    const deps = pipelineDeps(setup)
    const registry = {
      id: 'moh_registry_counts',
      inputs: [MOH_CHRONIC_REGISTRY],
      key: ['condition_code'],
      sql: 'SELECT condition_code, count(*) AS patients FROM moh_chronic_registry GROUP BY ALL',
      assertions: [],
      dataset: {
        slug: 'moh-registry-counts',
        title: 'Registry counts',
        description: 'Synthetic',
        agency: 'MOH',
        trustedCentre: 'TC-MOH',
        sourceSsots: ['moh'],
        classification: {
          security: 'confidential' as const,
          sensitivity: 'sensitive-high' as const,
        },
        updateFrequency: 'monthly',
        columns: [
          { name: 'condition_code', description: 'ICD-10', personalData: 'sensitive' as const },
          { name: 'patients', description: 'Count', personalData: 'none' as const },
        ],
      },
    }
    const high = await runPipeline(deps, registry)
    expect(
      (await setup.catalog.findDataset('moh-registry-counts', systemAbility()))?.currentVersion
        ?.sample,
    ).toEqual({
      status: 'refused',
      k: 5,
      reason: 'Sensitive High: no row-level sample leaves the Trusted Centre',
    })
    expect(high.publication?.created).toBe(true)
    const tooFew = await runPipeline(
      { ...deps, sampleK: 100 },
      {
        ...registry,
        id: 'moh_registry_open',
        dataset: {
          ...registry.dataset,
          slug: 'moh-registry-open',
          classification: { security: 'restricted', sensitivity: 'sensitive-normal' },
        },
      },
    )
    expect(tooFew.publication?.created).toBe(true)
    expect(
      (await setup.catalog.findDataset('moh-registry-open', systemAbility()))?.currentVersion
        ?.sample,
    ).toEqual({
      status: 'refused',
      k: 100,
      reason: 'The version has 7 rows, fewer than k = 100',
    })
  })

  it('leaves no NRIC/FIN, whole or in part, in any sample', async () => {
    const samples = (await readdir(join(setup.dataDir, 'samples'), { recursive: true }))
      .filter((file) => file.endsWith('.parquet'))
      .sort()
    expect(samples.length).toBeGreaterThan(1)
    for (const file of samples) {
      const rows = await setup.parquetRows<Record<string, unknown>>(join('samples', file))
      const text = JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v))
      expect(text, file).not.toMatch(/[STFGM]\d{7}[A-Z]|\*{5}/)
    }
  })
}
