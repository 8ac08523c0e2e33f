import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { MAX_LISTED } from '../core/index.js'
import { defineAbilityFor, publicAbility, systemAbility } from '../identity/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { officer } from './catalog-test-kit.js'
import {
  createDatasetStore,
  type DatasetRegistration,
  type DatasetStore,
  type VersionContent,
} from './dataset-store.js'
import { catalogMigrations } from './migrations.js'
import { isPublic } from './public-catalogue.js'

const registration: DatasetRegistration = {
  slug: 'person-address-pa',
  title: 'Persons by residential planning area',
  description: 'One row per person with the planning area of their registered address.',
  agency: 'DOS',
  trustedCentre: 'TC-DoS',
  sourceSsots: ['ica', 'sla'],
  classification: { security: 'restricted', sensitivity: 'sensitive-normal' },
  updateFrequency: 'daily',
  columns: [
    {
      name: 'person_key',
      description: 'Pseudonymous key of the person',
      personalData: 'direct-identifier',
    },
    {
      name: 'planning_area_code',
      description: 'URA planning area',
      personalData: 'quasi-identifier',
    },
    { name: 'region_code', description: 'URA region', personalData: 'none' },
  ],
}
const content = (sha: string, columns = ['person_key', 'planning_area_code']): VersionContent => ({
  rowCount: 4_950,
  byteSize: 123_456,
  contentSha256: sha,
  schema: columns.map((name) => ({ name, type: 'VARCHAR' })),
})

describe.each(TEST_BACKENDS)('dataset store on %s', (backend) => {
  let test: TestDatabase<CatalogTables>
  let store: DatasetStore
  const placed: number[] = []
  const place = async (version: number) => {
    placed.push(version)
    return `tc/person-address-pa/v${version}.parquet`
  }

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [catalogMigrations],
    })
    store = createDatasetStore(test.db)
  })
  afterAll(() => test.close())

  it('registers the dataset with its first version and columns', async () => {
    const result = await store.publishVersion(registration, content('a'.repeat(64)), place)
    expect(result).toEqual({
      datasetId: expect.stringMatching(/^d_[0-9a-f]{32}$/),
      version: 1,
      created: true,
    })
    const [dataset] = await store.listDatasets(systemAbility())
    expect(dataset).toMatchObject({
      id: result.datasetId,
      slug: 'person-address-pa',
      agency: 'DOS',
      sourceSsots: ['ica', 'sla'],
      classification: { security: 'restricted', sensitivity: 'sensitive-normal' },
      currentVersion: {
        version: 1,
        rowCount: 4_950,
        byteSize: 123_456,
        contentSha256: 'a'.repeat(64),
      },
      columns: [
        {
          name: 'person_key',
          type: 'VARCHAR',
          description: 'Pseudonymous key of the person',
          personalData: 'direct-identifier',
        },
        {
          name: 'planning_area_code',
          type: 'VARCHAR',
          description: 'URA planning area',
          personalData: 'quasi-identifier',
        },
      ],
    })
    expect(placed).toEqual([1])
  })

  it('publishes nothing when the content equals the current version', async () => {
    const result = await store.publishVersion(registration, content('a'.repeat(64)), place)
    expect(result).toMatchObject({ version: 1, created: false })
    expect(placed).toEqual([1])
  })

  it('publishes the next version and follows its schema', async () => {
    const result = await store.publishVersion(
      registration,
      content('b'.repeat(64), ['person_key', 'region_code']),
      place,
    )
    expect(result).toMatchObject({ version: 2, created: true })
    const detail = await store.findDataset('person-address-pa', systemAbility())
    expect(detail?.versions.map((v) => v.version)).toEqual([2, 1])
    expect(detail?.columns.map((c) => c.name)).toEqual(['person_key', 'region_code'])
    expect(await store.findDataset(result.datasetId, systemAbility())).toMatchObject({
      slug: 'person-address-pa',
    })
  })

  it('gives concurrent publishers distinct version numbers', async () => {
    const results = await Promise.all(
      ['c', 'd', 'e'].map((c) => store.publishVersion(registration, content(c.repeat(64)), place)),
    )
    expect(results.map((r) => r.version).sort()).toEqual([3, 4, 5])
  })

  it('refuses an impossible classification and undeclared columns, publishing nothing', async () => {
    await expect(
      store.publishVersion(
        {
          ...registration,
          slug: 'open-but-sensitive',
          classification: { security: 'official-open', sensitivity: 'sensitive-high' },
        },
        content('f'.repeat(64)),
        place,
      ),
    ).rejects.toThrow(
      'A sensitive-high dataset cannot be official-open: raise its security classification',
    )
    await expect(
      store.publishVersion(
        registration,
        content('f'.repeat(64), ['person_key', 'secret_column']),
        place,
      ),
    ).rejects.toThrow("Dataset 'person-address-pa' publishes undeclared columns: secret_column")
    expect((await store.listDatasets(systemAbility())).map((d) => d.slug)).toEqual([
      'person-address-pa',
    ])
    expect(
      (await store.findDataset('person-address-pa', systemAbility()))?.currentVersion?.version,
    ).toBe(5)
  })

  it('answers undefined for a dataset it does not have', async () => {
    expect(await store.findDataset('no-such-dataset', systemAbility())).toBeUndefined()
  })

  it('tells which of some slugs it holds and which a caller may read, of those slugs alone', async () => {
    const confidential = {
      ...registration,
      slug: 'chronic-registry',
      agency: 'MOH',
      classification: { security: 'confidential', sensitivity: 'sensitive-high' },
    } as const
    await store.publishVersion(confidential, content('c'.repeat(64)), async (v) => `x/v${v}`)
    const asked = ['chronic-registry', 'no-such-dataset', 'chronic-registry']
    const sorted = (rows: { slug: string; discoverable: boolean }[]) =>
      rows.sort((a, b) => a.slug.localeCompare(b.slug))
    // Another agency's officer may not discover the confidential registry; its own may.
    expect(await store.slugsAmong(asked, defineAbilityFor(officer('MOE')))).toEqual([
      { slug: 'chronic-registry', discoverable: false },
    ])
    expect(await store.slugsAmong(asked, defineAbilityFor(officer('MOH')))).toEqual([
      { slug: 'chronic-registry', discoverable: true },
    ])
    // Only the slugs asked are answered, never the rest of the catalogue.
    expect(
      sorted(await store.slugsAmong(['person-address-pa', 'chronic-registry'], systemAbility())),
    ).toEqual([
      { slug: 'chronic-registry', discoverable: true },
      { slug: 'person-address-pa', discoverable: true },
    ])
    expect(await store.slugsAmong([], systemAbility())).toEqual([])
  })

  it('reads the public catalogue a page at a time, oldest first, counting only what is public', async () => {
    for (const slug of ['open-a', 'open-b', 'open-c'])
      await store.publishVersion(
        {
          ...registration,
          slug,
          classification: { security: 'official-open', sensitivity: 'non-sensitive' },
        },
        content(slug.at(-1)?.repeat(64) ?? ''),
        async (v) => `x/${slug}/v${v}`,
      )
    const everyone = (await store.listDatasets(publicAbility()))
      .filter(isPublic)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    expect(everyone.map((d) => d.slug)).toEqual(['open-a', 'open-b', 'open-c'])
    for (const limit of [1, 2]) {
      const pages = []
      for (let offset = 0; offset < 4; offset += limit)
        pages.push(await store.publicPage({ offset, limit }))
      expect(pages.flatMap((p) => p.datasets)).toEqual(everyone)
      for (const page of pages) {
        expect(page.total).toBe(3)
        expect(page.modified).toEqual(
          everyone.reduce((a, d) => (a > d.updatedAt ? a : d.updatedAt), new Date(0)),
        )
      }
    }
  })

  it('lists the catalogue a page at a time, by title then id, never more than a page', async () => {
    const many = MAX_LISTED + 50
    // Without the search index's trigger, which is not what this tests (and costs seconds).
    await test.db.transaction().execute(async (tx) => {
      await sql`alter table datasets disable trigger dataset_search_sync`.execute(tx)
      await sql`insert into datasets (id, slug, title, description, agency, trusted_centre,
        source_ssots, security_classification, sensitivity, update_frequency, themes, tags,
        tags_text, columns_text)
      select 'd_' || lpad(to_hex(g * 7919 % 100003), 32, '0'), 'described-' || g, 'Described',
        '', 'DOS', 'TC-DoS', '{}', 'official-open', 'non-sensitive', 'monthly', '{}', '{}', '', ''
      from generate_series(1, ${many}) g`.execute(tx)
      await sql`alter table datasets enable trigger dataset_search_sync`.execute(tx)
    })
    const all = await test.db
      .selectFrom('datasets')
      .select(['id', 'slug'])
      .orderBy('title')
      .orderBy('id')
      .execute()
    // Asked for more than a page, or for nothing in particular, a page is all it gives.
    expect(await store.listDatasets(systemAbility(), { limit: 5_000 })).toHaveLength(MAX_LISTED)
    const first = await store.listDatasets(systemAbility())
    expect(first.map((d) => d.id)).toEqual(all.slice(0, MAX_LISTED).map((d) => d.id))
    // Pages of one title follow the ids: walked to the end, each dataset comes once.
    const walked: string[] = []
    for (let offset = 0; ; offset += 400) {
      const page = await store.listDatasets(systemAbility(), { limit: 400, offset })
      walked.push(...page.map((d) => d.id))
      if (page.length < 400) break
    }
    expect(walked).toEqual(all.map((d) => d.id))
    // Each still whole: a held dataset listed with its newest version and columns.
    const offset = all.findIndex((d) => d.slug === registration.slug)
    const [held] = await store.listDatasets(systemAbility(), { limit: 1, offset })
    expect(held?.slug).toBe('person-address-pa')
    expect(held?.currentVersion?.version).toBeGreaterThan(0)
    expect(held?.columns.length).toBeGreaterThan(0)
  })
})
