import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SampleReport } from '../disclosure/index.js'
import { systemAbility } from '../identity/index.js'
import { pseudonymOf, samplePseudonymScope } from '../keys/index.js'
import { useTestPlatform } from '../testing/index.js'

/** Every subset of up to `size` of the items, and the whole set. */
function subsets<T>(items: readonly T[], size: number): T[][] {
  const found: T[][] = [[...items]]
  const grow = (start: number, chosen: T[]) => {
    if (chosen.length > 0) found.push(chosen)
    if (chosen.length === size) return
    for (let i = start; i < items.length; i++) grow(i + 1, [...chosen, items[i] as T])
  }
  grow(0, [])
  return found
}

const platform = useTestPlatform({ backend: 'pglite', signIn: ['officer.moh', 'steward.dos'] })
let duck: Awaited<ReturnType<DuckDBInstance['connect']>>
const samples: { slug: string; file: string; report: SampleReport }[] = []

beforeAll(async () => {
  duck = await (await DuckDBInstance.create(':memory:')).connect()
  for (const dataset of await platform.runtime.catalog.listDatasets(systemAbility())) {
    const sample = dataset.currentVersion?.sample
    if (sample?.status !== 'published') continue
    samples.push({
      slug: dataset.slug,
      file: join(
        platform.runtime.dataDir,
        'samples',
        dataset.slug,
        `v${dataset.currentVersion?.version}.parquet`,
      ),
      report: sample.details.report as SampleReport,
    })
  }
})
afterAll(() => duck?.closeSync())

/** The size of the smallest class when the rows of `file` are grouped by `columns`. */
const smallest = async (file: string, columns: readonly string[]) => {
  const reader = await duck.runAndReadAll(
    `SELECT min(n) FROM (SELECT count(*) AS n FROM read_parquet('${file}') GROUP BY ${columns.map((c) => `"${c}"`).join(', ')})`,
  )
  return Number(reader.getRows()[0]?.[0])
}

describe('published samples, re-identified as an attacker would try', () => {
  it('has no class below k on any grouping of non-measure columns, and no homogeneous sensitive value', async () => {
    expect(samples.length).toBeGreaterThan(5)
    for (const { slug, file, report } of samples) {
      const grouped = report.columns
        .filter((c) => c.treatment === 'quasi-identifier' || c.treatment === 'sensitive')
        .map((c) => c.name)
      for (const columns of subsets(grouped, 3))
        expect(
          await smallest(file, columns),
          `${slug}: ${columns.join(', ')}`,
        ).toBeGreaterThanOrEqual(report.k)
      for (const sensitive of report.columns.filter((c) => c.treatment === 'sensitive')) {
        const others = grouped.filter((c) => c !== sensitive.name)
        const reader = await duck.runAndReadAll(
          `SELECT min(d), count(*) FILTER (WHERE any_value = '*') FROM (
             SELECT count(DISTINCT "${sensitive.name}") AS d, any_value("${sensitive.name}") AS any_value
             FROM read_parquet('${file}') ${others.length ? `GROUP BY ${others.map((c) => `"${c}"`).join(', ')}` : ''})`,
        )
        const [least, hidden] = reader.getRows()[0] ?? []
        // Either the sensitive column is hidden altogether, or every class holds two values.
        if (Number(hidden) === 0)
          expect(Number(least), `${slug}: ${sensitive.name}`).toBeGreaterThanOrEqual(2)
      }
      expect(report.suppressedRows).toBeLessThanOrEqual(report.maxSuppressedRows)
    }
  })

  it('draws rows no one without the sample key can pick out, in an order that gives nothing away', async () => {
    const training = samples.find((s) => s.slug === 'officer-training-records')
    const version = join(platform.runtime.dataDir, 'tc/officer-training-records/v1.parquet')
    const drawn = training?.report.drawnRows ?? 0
    // The rows an unkeyed hash of the key would draw, masked as the sample masks them.
    const reader = await duck.runAndReadAll(
      `SELECT officer_key FROM read_parquet('${version}') ORDER BY md5(concat(officer_key)) LIMIT ${drawn}`,
    )
    const key = platform.runtime.pseudonyms.keyOf(
      samplePseudonymScope('officer-training-records', 1),
    )
    const guessed = reader.getRows().map((r) => pseudonymOf(key, String(r[0])))
    const sample = await duck.runAndReadAll(
      `SELECT officer_key FROM read_parquet('${training?.file}')`,
    )
    const masked = sample.getRows().map((r) => String(r[0]))
    const found = new Set(masked)
    expect(guessed.filter((g) => found.has(g)).length).toBeLessThan(drawn / 4)
    // Nor is the sample written in the order of its pseudonyms' source values.
    expect(masked).not.toEqual(guessed.filter((g) => found.has(g)))
  })

  it('shows the persons sample by planning area for at least 95% of the rows drawn', async () => {
    const persons = samples.find((s) => s.slug === 'person-address-pa')
    expect(persons?.report.keptAsAsked).toBe(true)
    const reader = await duck.runAndReadAll(
      `SELECT count(*) FILTER (WHERE planning_area_name IS DISTINCT FROM '*'), count(DISTINCT planning_area_name) FROM read_parquet('${persons?.file}')`,
    )
    const [shown, areas] = reader.getRows()[0] ?? []
    expect(Number(shown) / (persons?.report.drawnRows ?? 1)).toBeGreaterThanOrEqual(0.95)
    expect(Number(areas)).toBeGreaterThan(20)
    // region_code is labelled "not personal", but it is planning area one level up: in the k-check.
    expect(persons?.report.columns.find((c) => c.name === 'region_code')).toMatchObject({
      treatment: 'quasi-identifier',
      suggestion: { kind: 'quasi-identifier' },
    })
  })
})

describe('sample downloads and the labels behind them', () => {
  it('explains itself inside every download: the zip holds the rows, the report and a README', async () => {
    const officer = platform.as['officer.moh']
    const res = await platform.app.request(
      '/api/datasets/person-address-pa/versions/1/sample?format=zip',
      {
        headers: officer,
      },
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/zip')
    expect(res.headers.get('content-disposition')).toContain('person-address-pa-v1-sample.zip')
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()))
    expect(Object.keys(files).sort()).toEqual([
      'README.txt',
      'person-address-pa-v1-sample.csv',
      'sample-report.json',
    ])
    const text = (name: string) => new TextDecoder().decode(files[name])
    const report = JSON.parse(text('sample-report.json')) as SampleReport
    const persons = samples.find((s) => s.slug === 'person-address-pa')
    expect(report).toEqual(persons?.report)
    expect(text('person-address-pa-v1-sample.csv').trim().split('\n').length).toBe(report.rows + 1)
    expect(text('README.txt')).toContain(`k = ${report.kReached} reached`)
    expect(text('README.txt')).toContain('planning_area_name: generalised to planning area')
    // The Parquet download carries the same report in its footer.
    const parquet = await platform.app.request(
      '/api/datasets/person-address-pa/versions/1/sample?format=parquet',
      { headers: officer },
    )
    const path = join(platform.runtime.dataDir, 'downloaded-sample.parquet')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(path, new Uint8Array(await parquet.arrayBuffer()))
    const kv = await duck.runAndReadAll(
      `SELECT decode(value) FROM parquet_kv_metadata('${path}') WHERE decode(key) = 'sample_report'`,
    )
    expect(JSON.parse(String(kv.getRows()[0]?.[0]))).toEqual(report)
    // A full extract is never a zip.
    const full = await platform.app.request(
      '/api/datasets/digital-services-register/versions/1/extract?format=zip',
      {
        headers: officer,
      },
    )
    expect(full.status).toBe(400)
  })

  it('lets a steward relabel a column only with a reason, recorded and audited', async () => {
    const steward = platform.as['steward.dos']
    const patch = (personalData: unknown) =>
      platform.app.request('/api/datasets/person-address-pa', {
        method: 'PATCH',
        headers: { ...steward, 'content-type': 'application/json' },
        body: JSON.stringify({ columns: [{ name: 'region_code', personalData }] }),
      })
    const bare = await patch({ kind: 'quasi-identifier' })
    expect(bare.status).toBe(400)
    expect(await bare.text()).toContain('reason')
    const reason = 'Region is planning area one level up: it narrows down who a row is'
    const res = await patch({ kind: 'quasi-identifier', reason })
    expect(res.status).toBe(200)
    const body = (await res.json()) as {
      data: {
        dataset: { columns: { name: string; personalData: string; personalDataReason?: string }[] }
      }
    }
    expect(body.data.dataset.columns.find((c) => c.name === 'region_code')).toMatchObject({
      personalData: 'quasi-identifier',
      personalDataReason: reason,
    })
    const audit = await platform.runtime.audit.list({ limit: 5 })
    expect(audit.find((e) => e.action === 'dataset.update')?.details).toMatchObject({
      personalData: [{ column: 'region_code', kind: 'quasi-identifier', reason }],
    })
    // The steward names the level samples should keep where k allows.
    const keep = (sampleKeep: unknown) =>
      platform.app.request('/api/datasets/person-address-pa', {
        method: 'PATCH',
        headers: { ...steward, 'content-type': 'application/json' },
        body: JSON.stringify({ sampleKeep }),
      })
    const unknown = await keep({ postcode: 'sector' })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain("'postcode' is neither 'geography' nor a column")
    const kept = await keep({ geography: 'region', age_band: 'as published' })
    expect(kept.status).toBe(200)
    expect(
      ((await kept.json()) as { data: { dataset: { sampleKeep: Record<string, string> } } }).data
        .dataset.sampleKeep,
    ).toEqual({ geography: 'region', age_band: 'as published' })
    // An officer cannot.
    const officer = platform.as['officer.moh']
    const refused = await platform.app.request('/api/datasets/person-address-pa', {
      method: 'PATCH',
      headers: { ...officer, 'content-type': 'application/json' },
      body: JSON.stringify({
        columns: [{ name: 'race_code', personalData: { kind: 'none', reason } }],
      }),
    })
    expect(refused.status).toBe(403)
  })
})
