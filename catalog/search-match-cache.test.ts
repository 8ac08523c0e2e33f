import { type Kysely, type KyselyPlugin, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { FIXTURE_AGENCIES } from '../fixtures/index.js'
import {
  createUserStore,
  defineAbilityFor,
  type IdentityTables,
  identityMigrations,
} from '../identity/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import type { CatalogTables } from './catalog-tables.js'
import { officer } from './catalog-test-kit.js'
import { type SearchRequest, searchDatasets } from './dataset-search.js'
import { catalogMigrations } from './migrations.js'

type Tables = CatalogTables & IdentityTables

const entry = (slug: string, title: string, agency: string, security: string) => ({
  id: `d_${slug.replaceAll('-', '_')}`,
  slug,
  title,
  description: 'Synthetic figures.',
  agency,
  trusted_centre: `TC-${agency}`,
  source_ssots: [agency.toLowerCase()],
  security_classification: security,
  sensitivity: 'non-sensitive',
  update_frequency: 'monthly',
  themes: ['Environment'],
  tags: [],
})

describe.each(TEST_BACKENDS)('kept search answers on %s', (backend) => {
  let test: TestDatabase<Tables>
  let db: Kysely<Tables>
  /** Statements run through `db`: each one's result passes the plugin once. */
  let statements = 0
  const counting: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      statements++
      return args.result
    },
  }
  const search = async (request: Partial<SearchRequest>, who = officer('MOH')) => {
    const before = statements
    const result = await searchDatasets(db, defineAbilityFor(who), {
      filters: {},
      sort: 'relevance',
      page: 1,
      pageSize: 20,
      ...request,
    })
    return { result, statements: statements - before }
  }

  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [identityMigrations, catalogMigrations],
    })
    await createUserStore(test.db).saveAgencies(FIXTURE_AGENCIES)
    await test.db
      .insertInto('datasets')
      .values([
        entry('rainfall-daily', 'Daily rainfall', 'GOVTECH', 'official-open'),
        entry('rainfall-monthly', 'Monthly rainfall', 'DOS', 'official-open'),
        entry('rainfall-clinics', 'Rainfall near clinics', 'MOH', 'official-closed'),
        entry('wind-speed', 'Wind speed', 'GOVTECH', 'official-open'),
      ])
      .execute()
    db = test.db.withPlugin(counting)
  })
  afterAll(() => test.close())

  it('answers the same words again, under another filter or page, without matching again', async () => {
    const first = await search({ q: 'rainfall' })
    expect(first.result.total).toBe(3)
    const again = await search({ q: 'rainfall', filters: { agency: ['DOS'] } })
    expect(again.result.hits.map((h) => h.slug)).toEqual(['rainfall-monthly'])
    expect(again.result.facets.agency).toEqual(first.result.facets.agency)
    expect(again.statements).toBe(first.statements - 1)
    const page = await search({ q: 'rainfall', pageSize: 1, page: 2 })
    expect(page.result.hits.map((h) => h.slug)).toEqual([first.result.hits[1]?.slug])
  })

  it('matches again once a dataset changed, and finds what changed', async () => {
    expect((await search({ q: 'rainfall' })).result.total).toBe(3)
    await sql`update datasets set title = 'Daily humidity' where slug = 'rainfall-daily'`.execute(
      test.db,
    )
    const changed = await search({ q: 'rainfall' })
    expect(changed.result.hits.map((h) => h.slug).sort()).toEqual([
      'rainfall-clinics',
      'rainfall-monthly',
    ])
    expect((await search({ q: 'humidity' })).result.total).toBe(1)
  })

  it('shares a refresh among searches made at once, each seeing what was committed before it', async () => {
    await search({})
    // Browsing again: the values are refreshed and the page read (the matches are kept).
    const alone = (await search({})).statements
    const before = statements
    await Promise.all(Array.from({ length: 10 }, () => search({})))
    // Ten at once read ten pages, and share one or two refreshes.
    expect(statements - before).toBeLessThanOrEqual(10 * (alone - 1) + 2)
    const running = search({ q: 'totals' })
    await sql`update datasets set title = 'Monthly rainfall totals'
      where slug = 'rainfall-monthly'`.execute(test.db)
    const after = await Promise.all(Array.from({ length: 5 }, () => search({ q: 'totals' })))
    expect(after.map((found) => found.result.total)).toEqual([1, 1, 1, 1, 1])
    await running
  })

  it('keeps answers to each caller’s rules apart, and follows a reclassification', async () => {
    expect((await search({ q: 'clinics' }, officer('MOH'))).result.total).toBe(1)
    expect((await search({ q: 'clinics' }, officer('MOE'))).result.total).toBe(1)
    expect((await search({}, officer('MOE'))).result.total).toBe(4)
    await sql`update datasets set security_classification = 'confidential'
      where slug = 'rainfall-clinics'`.execute(test.db)
    expect((await search({ q: 'clinics' }, officer('MOE'))).result.total).toBe(0)
    const browsed = await search({}, officer('MOE'))
    expect(browsed.result.total).toBe(3)
    expect(browsed.result.facets.agency.map((f) => f.value)).not.toContain('MOH')
    expect((await search({ q: 'clinics' }, officer('MOH'))).result.total).toBe(1)
    expect((await search({}, officer('MOH'))).result.total).toBe(4)
  })

  // PGlite runs one statement at a time: no transaction can stay open beside the searches.
  it.runIf(backend === 'postgres')(
    'keeps answers while a transaction open elsewhere makes the same change read again',
    async () => {
      await test.db.connection().execute(async (held) => {
        await sql`begin`.execute(held)
        await sql`select pg_current_xact_id()`.execute(held)
        try {
          await sql`update datasets set title = 'Wind speed and gusts'
            where slug = 'wind-speed'`.execute(test.db)
          expect((await search({ q: 'gusts' })).result.total).toBe(1)
          const first = await search({ q: 'speed' })
          const again = await search({ q: 'speed' })
          expect(again.result.total).toBe(1)
          // Fewer than three matches also widen the words by spelling: both answers are kept.
          expect(again.statements).toBe(first.statements - 2)
        } finally {
          await sql`rollback`.execute(held)
        }
      })
    },
  )

  it('stops counting a removed dataset when browsing', async () => {
    const before = await search({})
    await sql`delete from datasets where slug = 'wind-speed'`.execute(test.db)
    const after = await search({})
    expect(after.result.total).toBe(before.result.total - 1)
    expect(after.result.hits.map((h) => h.slug)).not.toContain('wind-speed')
  })
})
