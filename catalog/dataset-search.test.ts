import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { FIXTURE_AGENCIES } from '../fixtures/index.js'
import {
  createUserStore,
  defineAbilityFor,
  type IdentityTables,
  identityMigrations,
  systemAbility,
} from '../identity/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { officer } from './catalog-test-kit.js'
import { FACETS, type SearchRequest, searchDatasets } from './dataset-search.js'
import { createDatasetStore, type DatasetRegistration } from './dataset-store.js'
import { catalogMigrations } from './migrations.js'

const dataset = (
  slug: string,
  title: string,
  agency: string,
  security: DatasetRegistration['classification']['security'],
  sensitivity: DatasetRegistration['classification']['sensitivity'],
  themes: string[],
  columns: [string, string][],
  tags: string[] = [],
): DatasetRegistration => ({
  slug,
  title,
  description: `Synthetic ${title.toLowerCase()} for the catalogue search tests.`,
  agency,
  trustedCentre: `TC-${agency}`,
  sourceSsots: [agency.toLowerCase()],
  classification: { security, sensitivity },
  updateFrequency: 'monthly',
  themes,
  tags,
  columns: columns.map(([name, description]) => ({
    name,
    description,
    personalData: 'none' as const,
  })),
})

const DATASETS = [
  dataset(
    'population-by-planning-area',
    'Population by planning area',
    'DOS',
    'official-open',
    'non-sensitive',
    ['Population'],
    [
      ['planning_area_code', 'URA planning area'],
      ['residents', 'Resident count'],
    ],
    ['census', 'residents'],
  ),
  dataset(
    'postal-geocode-reference',
    'Postal code geocode reference',
    'SLA',
    'official-open',
    'non-sensitive',
    ['Geospatial'],
    [
      ['postal_code', 'Six-digit postal code'],
      ['latitude', 'WGS84 latitude'],
    ],
    ['address', 'OneMap'],
  ),
  dataset(
    'business-by-planning-area',
    'Business entities by planning area',
    'DOS',
    'official-closed',
    'non-sensitive',
    ['Economy', 'Geospatial'],
    [
      ['ssic_section', 'Industry section of the primary activity'],
      ['entity_count', 'Entities'],
    ],
    ['ACRA', 'companies'],
  ),
  dataset(
    'moh-chronic-registry',
    'Chronic disease registry',
    'MOH',
    'confidential',
    'sensitive-high',
    ['Health'],
    [['condition_code', 'ICD-10 category']],
    ['diabetes'],
  ),
  dataset(
    'weather-hourly',
    'Hourly weather readings',
    'GOVTECH',
    'official-open',
    'non-sensitive',
    ['Environment'],
    [['rainfall_total', 'Hourly rainfall total']],
    ['rain', 'temperature'],
  ),
]

describe.each(TEST_BACKENDS)('catalogue search on %s', (backend) => {
  let test: TestDatabase<CatalogTables & IdentityTables>
  const search = (request: Partial<SearchRequest>, ability = defineAbilityFor(officer('MOH'))) =>
    searchDatasets(test.db, ability, {
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: 20,
      ...request,
    })

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [identityMigrations, catalogMigrations],
    })
    await createUserStore(test.db).saveAgencies(FIXTURE_AGENCIES)
    const store = createDatasetStore(test.db)
    for (const [i, registration] of DATASETS.entries()) {
      await store.publishVersion(
        registration,
        {
          rowCount: 100 * (i + 1),
          byteSize: 1000,
          contentSha256: String(i).repeat(64),
          schema: registration.columns.map((c) => ({ name: c.name, type: 'VARCHAR' })),
        },
        async (v) => `tc/${registration.slug}/v${v}.parquet`,
      )
    }
    const weather = await store.findDataset('weather-hourly', systemAbility())
    for (let i = 0; i < 3; i++) if (weather) await store.recordView(weather.id)
  })
  afterAll(() => test.close())

  it('puts the exact title first', async () => {
    const result = await search({ q: 'Postal code geocode reference' })
    expect(result.hits[0]).toMatchObject({
      slug: 'postal-geocode-reference',
      matched: { title: true, typo: false },
    })
  })

  it('finds a dataset despite a typo', async () => {
    const result = await search({ q: 'geocde' })
    expect(result.hits.map((h) => h.slug)).toEqual(['postal-geocode-reference'])
    expect(result.hits[0]?.matched.typo).toBe(true)
  })

  it('finds a dataset by a column name and says which column matched', async () => {
    const result = await search({ q: 'ssic_section' })
    expect(result.hits.map((h) => h.slug)).toEqual(['business-by-planning-area'])
    expect(result.hits[0]?.matched.columns).toEqual(['ssic_section'])
  })

  it('ranks a title match above a tag match above a description match', async () => {
    const result = await search({ q: 'residents' })
    expect(result.hits[0]?.slug).toBe('population-by-planning-area')
    const planning = await search({ q: 'planning area' })
    expect(
      planning.hits
        .map((h) => h.slug)
        .slice(0, 2)
        .sort(),
    ).toEqual(['business-by-planning-area', 'population-by-planning-area'])
  })

  it('counts facets that equal the totals of their filters', async () => {
    const all = await search({})
    expect(all.total).toBe(5)
    for (const facet of FACETS) {
      for (const { value, count } of all.facets[facet]) {
        const filtered = await search({ filters: { [facet]: [value] } })
        expect(filtered.total, `${facet}=${value}`).toBe(count)
      }
    }
    const combined = await search({
      q: 'planning',
      filters: { agency: ['DOS'], theme: ['Geospatial'] },
    })
    expect(combined.hits.map((h) => h.slug)).toEqual(['business-by-planning-area'])
  })

  it('never shows a dataset the caller may not discover, not in hits, totals or facets', async () => {
    const moe = defineAbilityFor(officer('MOE'))
    const result = await search({}, moe)
    expect(result.total).toBe(4)
    expect(result.hits.map((h) => h.slug)).not.toContain('moh-chronic-registry')
    expect(result.facets.agency.map((f) => f.value)).not.toContain('MOH')
    expect(result.facets.theme.map((f) => f.value)).not.toContain('Health')
    expect((await search({ q: 'chronic disease' }, moe)).total).toBe(0)
    expect((await search({ q: 'chronic disease' })).total).toBe(1)
    expect((await search({}, defineAbilityFor(undefined))).total).toBe(0)
  })

  it('corrects a misspelt word against the words of titles and tags', async () => {
    const result = await search({ q: 'tempreture' })
    expect(result.hits.map((h) => h.slug)).toEqual(['weather-hourly'])
    expect(result.hits[0]?.matched).toMatchObject({ tags: true, typo: true })
  })

  it('counts a dataset under its new values as soon as an edit or a sample commits', async () => {
    const store = createDatasetStore(test.db)
    const before = await search({}) // fills the in-memory facet values
    expect(before.facets.sample).toEqual([{ value: 'none', label: 'No sample', count: 5 }])
    const weather = await store.findDataset('weather-hourly', systemAbility())
    if (!weather) throw new Error('fixture missing')
    await store.editMetadata(
      weather,
      { themes: ['Environment', 'Transport'] },
      { id: 'u_000000000000000000000009', name: 'steward.govtech' },
      systemAbility(),
      new Date(),
    )
    await store.recordSample(weather.id, 1, {
      status: 'published',
      path: 'tc/weather-hourly/v1-sample.parquet',
      rowCount: 10,
      k: 5,
      details: {},
    })
    const after = await search({})
    expect(after.facets.theme).toContainEqual({ value: 'Transport', label: 'Transport', count: 1 })
    expect(after.facets.sample).toEqual([
      { value: 'none', label: 'No sample', count: 4 },
      { value: 'available', label: 'Sample available', count: 1 },
    ])
    const transport = await search({ filters: { theme: ['Transport'], sample: ['available'] } })
    expect(transport.hits.map((h) => h.slug)).toEqual(['weather-hourly'])
    expect(transport.hits[0]?.sampleAvailable).toBe(true)
  })

  it('sorts by popularity and pages through results', async () => {
    const popular = await search({ sort: 'popular' })
    expect(popular.hits[0]?.slug).toBe('weather-hourly')
    const page2 = await search({ sort: 'popular', pageSize: 2, page: 2 })
    expect(page2.hits.map((h) => h.slug)).toEqual(popular.hits.slice(2, 4).map((h) => h.slug))
    expect(page2.total).toBe(5)
  })
})
