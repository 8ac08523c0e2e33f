import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { DatasetRegistration } from '../catalog/index.js'
import { quoteIdent, quoteLiteral, readRows, withConnection } from '../core/index.js'
import type { SampleReport } from '../disclosure/index.js'
import { systemAbility } from '../identity/index.js'
import { useTestPlatform } from '../testing/index.js'
import { dataLayout } from './data-layout.js'
import { publishCandidate, writeCandidate } from './publish.js'

const platform = useTestPlatform({
  backend: 'pglite',
  signIn: ['officer.moe', 'officer.moh', 'steward.dos'],
})

interface Profiles {
  version: number
  k: number
  columns: {
    name: string
    personalData: string
    rows: number
    nulls: number
    distinct: number
    disclosure: string
    level: string | null
    rules: string[]
    min: string | null
    max: string | null
    topValues: { value: string; rows: number }[]
    histogram: { label: string; rows: number | null }[] | null
  }[]
}

const PERSONS = '/api/datasets/person-address-pa/versions/1/profiles'

describe('column profiles through the API', () => {
  it('shows the persons dataset under the sample rules: no identifier values, QIs at the sample level, nothing under k', async () => {
    const { status, body } = await platform.call<Profiles>('GET', PERSONS, 'officer.moe')
    expect(status).toBe(200)
    if (!body.ok) throw new Error(body.error.message)
    const { columns, k } = body.data
    const dataset = await platform.runtime.catalog.findDataset('person-address-pa', systemAbility())
    const sample = dataset?.versions.find((v) => v.version === 1)?.sample
    expect(sample?.status).toBe('published')
    const report = (sample?.status === 'published' ? sample.details.report : undefined) as
      | SampleReport
      | undefined
    expect(k).toBe(sample?.k)
    expect(columns.map((c) => c.name)).toEqual(dataset?.columns.map((c) => c.name))

    expect(columns.find((c) => c.name === 'person_key')).toMatchObject({
      disclosure: 'direct-identifier',
      nulls: 0,
      min: null,
      max: null,
      topValues: [],
      histogram: null,
      rules: ['withheld: direct identifier (only missing and distinct values are counted)'],
    })
    for (const column of columns) {
      const shownAs = report?.columns.find((c) => c.name === column.name)?.shownAs
      if (column.disclosure === 'sample-level' || column.disclosure === 'hidden-in-sample')
        expect(column.level, column.name).toBe(shownAs)
      for (const bar of column.histogram ?? [])
        if (bar.rows !== null) expect(bar.rows).toBeGreaterThanOrEqual(k)
    }
    // The dataset keeps planning areas where k allows: postal codes are hidden at that level.
    expect(columns.find((c) => c.name === 'postal_code')).toMatchObject({
      disclosure: 'hidden-in-sample',
      level: report?.columns.find((c) => c.name === 'postal_code')?.shownAs,
      topValues: [],
      min: null,
    })

    // Every value shown as published is carried by at least k rows of the version itself.
    const file = join(platform.runtime.dataDir, dataLayout.version('person-address-pa', 1))
    await withConnection(
      () => platform.runtime.duckdb.connect(),
      async (conn) => {
        for (const column of columns.filter((c) => c.disclosure === 'as-published')) {
          for (const shown of [
            ...column.topValues.map((t) => t.value),
            column.min,
            column.max,
          ].filter((v): v is string => v !== null)) {
            const [row] = await readRows<{ n: string }>(
              conn,
              `SELECT count(*) AS n FROM read_parquet(${quoteLiteral(file)})
               WHERE ${quoteIdent(column.name)}::VARCHAR = ${quoteLiteral(shown)}`,
            )
            expect(Number(row?.n), `${column.name} = ${shown}`).toBeGreaterThanOrEqual(k)
          }
        }
      },
    )
  })

  it('answers 404 to a caller who may not discover the dataset, and for a version that does not exist', async () => {
    await publish(`SELECT i::INTEGER AS id FROM range(10) t(i)`, 'confidential-1', {
      ...registration,
      slug: 'profile-confidential-example',
      agency: 'MOH',
      classification: { security: 'confidential', sensitivity: 'sensitive-normal' },
      columns: [{ name: 'id', description: 'Row number', personalData: 'none' }],
    })
    const hidden = await platform.call(
      'GET',
      '/api/datasets/profile-confidential-example/versions/1/profiles',
      'officer.moe',
    )
    expect(hidden).toEqual({
      status: 404,
      body: {
        ok: false,
        error: { code: 'not_found', message: "Dataset 'profile-confidential-example' not found" },
      },
    })
    const allowed = await platform.call<Profiles>(
      'GET',
      '/api/datasets/chronic-disease-registry/versions/1/profiles',
      'officer.moh',
    )
    expect(allowed.status).toBe(200)
    // Sensitive High: no sample, so only counts of every column (no bar to subtract from).
    if (!allowed.body.ok) throw new Error(allowed.body.error.message)
    for (const column of allowed.body.data.columns)
      expect(column, column.name).toMatchObject({
        disclosure: column.name === 'person_key' ? 'direct-identifier' : 'no-sample',
        min: null,
        max: null,
        topValues: [],
        histogram: null,
      })
    expect(allowed.body.data.columns.find((c) => c.name === 'days_since_diagnosis')).toMatchObject({
      personalData: 'quasi-identifier',
      rows: expect.any(Number),
      rules: [expect.stringMatching(/has no sample/)],
    })

    const missing = await platform.call('GET', PERSONS.replace('/1/', '/9/'), 'officer.moe')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({
      error: { message: expect.stringMatching(/has no version 9: its versions are 1/) },
    })
    const malformed = await platform.call('GET', PERSONS.replace('/1/', '/one/'), 'officer.moe')
    expect(malformed.status).toBe(400)
  })
})

const registration: DatasetRegistration = {
  slug: 'profile-diff-example',
  title: 'Profile diff example',
  description: 'Two versions whose columns change, for the schema difference.',
  agency: 'DOS',
  trustedCentre: 'TC-DoS',
  sourceSsots: ['ica'],
  classification: { security: 'official-closed', sensitivity: 'non-sensitive' },
  updateFrequency: 'daily',
  columns: [
    { name: 'id', description: 'Row number', personalData: 'none' },
    { name: 'area', description: 'An area', personalData: 'none' },
    { name: 'count', description: 'A count', personalData: 'none' },
    { name: 'note', description: 'A note', personalData: 'none' },
  ],
}

/** Publishes the next version and reads its profiles, as a fusion run profiles it at once. */
const READER: Record<string, 'officer.moe' | 'officer.moh'> = { MOH: 'officer.moh' }

async function publish(select: string, runId: string, dataset = registration) {
  const { runtime } = platform
  const pending = join(runtime.dataDir, dataLayout.pendingVersion(dataset.slug, runId))
  const candidate = await withConnection(
    () => runtime.duckdb.connect(),
    (conn) => writeCandidate(conn, select, pending),
  )
  const { publication } = await publishCandidate(
    { catalog: runtime.catalog, dataDir: runtime.dataDir },
    candidate,
    {
      dataset,
      target: (version) => dataLayout.version(dataset.slug, version),
      runId,
    },
  )
  const path = `/api/datasets/${dataset.slug}/versions/${publication.version}/profiles`
  expect((await platform.call('GET', path, READER[dataset.agency] ?? 'officer.moe')).status).toBe(
    200,
  )
  return publication
}

describe('profiles served against the dataset as it is now', () => {
  const example: DatasetRegistration = {
    ...registration,
    slug: 'profile-relabel-example',
    title: 'Profile relabel example',
  }
  const profilesOf = async (version: number) => {
    const { body } = await platform.call<Profiles>(
      'GET',
      `/api/datasets/profile-relabel-example/versions/${version}/profiles`,
      'officer.moe',
    )
    if (!body.ok) throw new Error(body.error.message)
    return new Map(body.data.columns.map((c) => [c.name, c]))
  }

  it('withholds values of a relabelled column, and of older versions once the dataset is about people', async () => {
    const select = (n: number) =>
      `SELECT i::INTEGER AS id, 'A' || (i % 3)::VARCHAR AS area, (i % 4)::INTEGER AS count, 'x' AS note FROM range(${n}) t(i)`
    await publish(select(30), 'relabel-1', example)
    await publish(select(31), 'relabel-2', example)
    // Nothing personal: both versions show their values.
    expect((await profilesOf(1)).get('area')?.topValues.length).toBe(3)
    expect((await profilesOf(2)).get('count')?.histogram).not.toBeNull()

    const relabel = await platform.call(
      'PATCH',
      '/api/datasets/profile-relabel-example',
      'steward.dos',
      {
        columns: [
          {
            name: 'area',
            personalData: { kind: 'quasi-identifier', reason: 'Areas this small narrow it down' },
          },
        ],
      },
    )
    expect(relabel.status).toBe(200)
    const counted = { min: null, max: null, topValues: [], histogram: null }
    for (const version of [1, 2]) {
      const profiles = await profilesOf(version)
      expect(profiles.get('area'), `area of ${version}`).toMatchObject({
        ...counted,
        personalData: 'none',
        disclosure: 'label-changed',
        rules: ['withheld: its personal-data label changed since this version was profiled'],
        rows: version === 1 ? 30 : 31,
        distinct: 3,
      })
    }
    // Version 1 against 2 would show the one row added: only the current version's values.
    expect((await profilesOf(1)).get('count')).toMatchObject({
      ...counted,
      disclosure: 'older-version',
      rules: [
        "withheld: only the current version's values are shown, so versions cannot be compared to single out a person",
      ],
    })
    // The current version has no sample: a dataset about people shows only its counts.
    expect((await profilesOf(2)).get('count')).toMatchObject({
      ...counted,
      disclosure: 'no-sample',
    })
  })
})

describe('schema difference between versions', () => {
  it('lists columns added, removed, retyped and relabelled, from each version’s own labels', async () => {
    await publish(
      `SELECT i::INTEGER AS id, 'A' || (i % 3)::VARCHAR AS area, i::INTEGER AS count FROM range(30) t(i)`,
      'diff-1',
    )
    // Version 1 is profiled while area is not personal.
    const relabel = await platform.call(
      'PATCH',
      '/api/datasets/profile-diff-example',
      'steward.dos',
      {
        columns: [
          {
            name: 'area',
            personalData: {
              kind: 'quasi-identifier',
              reason: 'Areas this small narrow down who a row is about',
            },
          },
        ],
      },
    )
    expect(relabel.status).toBe(200)
    await publish(
      `SELECT i::INTEGER AS id, 'A' || (i % 3)::VARCHAR AS area, i::BIGINT AS count, 'x' AS note FROM range(31) t(i)`,
      'diff-2',
    )
    await publish(`SELECT i::INTEGER AS id, 'A' AS area FROM range(30) t(i)`, 'diff-3')

    const diff = await platform.call(
      'GET',
      '/api/datasets/profile-diff-example/schema-diff?from=1&to=2',
      'officer.moe',
    )
    expect(diff).toEqual({
      status: 200,
      body: {
        ok: true,
        data: {
          from: 1,
          to: 2,
          added: [{ name: 'note', type: 'VARCHAR', personalData: 'none' }],
          removed: [],
          typeChanged: [{ name: 'count', from: 'INTEGER', to: 'BIGINT' }],
          personalDataChanged: [{ name: 'area', from: 'none', to: 'quasi-identifier' }],
        },
      },
    })
    const back = await platform.call<{ removed: { name: string }[] }>(
      'GET',
      '/api/datasets/profile-diff-example/schema-diff?from=2&to=3',
      'officer.moe',
    )
    expect(back.body.ok && back.body.data.removed.map((c) => c.name)).toEqual(['count', 'note'])

    const noTo = await platform.call(
      'GET',
      '/api/datasets/profile-diff-example/schema-diff?from=1',
      'officer.moe',
    )
    expect(noTo.status).toBe(400)
    const unknown = await platform.call(
      'GET',
      '/api/datasets/profile-diff-example/schema-diff?from=1&to=7',
      'officer.moe',
    )
    expect(unknown.status).toBe(404)
  })
})
