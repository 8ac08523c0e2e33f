import type { Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { CatalogTables } from '../catalog/index.js'
import { systemAbility } from '../identity/index.js'
import { TEST_BACKENDS } from '../testing/index.js'
import {
  as,
  officer,
  registration,
  request,
  stewardDos,
  useAccessStore,
} from './access-store-test-kit.js'
import { entitlementsFor } from './entitlements.js'

describe.each(TEST_BACKENDS)('entitlements on %s', (backend) => {
  const setup = useAccessStore(backend)
  const persons = registration('persons-by-area', 'DOS', 'restricted', 'sensitive-normal')

  /** Publishes version `n` of persons-by-area with its sample, as the Trusted Centre would. */
  async function publishPersons(n: number) {
    await setup.catalog.publishVersion(
      persons,
      {
        rowCount: 10 + n,
        byteSize: 100,
        contentSha256: String(n).repeat(64),
        schema: persons.columns.map((c) => ({ name: c.name, type: 'VARCHAR' })),
      },
      async (v) => `tc/persons-by-area/v${v}.parquet`,
    )
    const dataset = await setup.catalog.findDataset('persons-by-area', systemAbility())
    if (!dataset) throw new Error('persons-by-area is not published')
    await setup.catalog.recordSample(dataset.id, n + 1, {
      status: 'published',
      path: `samples/persons-by-area/v${n + 1}.parquet`,
      rowCount: 5,
      k: 5,
      details: {},
    })
    return dataset
  }

  /** Grants the officer persons-by-area at `at`, in the scope asked. */
  async function grant(scope: 'rows' | 'aggregates', at: Date) {
    const submitted = await setup.access.submit(
      { dataset: 'persons-by-area', ...request, scope },
      officer,
      as(officer),
      at,
    )
    await setup.access.act(submitted.id, 'approve', {}, stewardDos, as(stewardDos), at)
  }

  it('reads the same entitlements of one dataset as the whole list holds, by its id or slug', async () => {
    // Versions are stamped by the database's clock: the grants are made by it too.
    const grantedAt = new Date()
    await grant('aggregates', grantedAt)
    // A millisecond later, so that the grants are listed in this order (oldest first).
    const rowsAt = new Date(grantedAt.getTime() + 1)
    await grant('rows', rowsAt)
    // A version published after the grants: the full grant reads it, the aggregate one stays.
    const dataset = await publishPersons(1)
    const now = new Date(Date.now() + 60_000)
    const all = await entitlementsFor(setup.db, officer, as(officer), now)
    const ofPersons = all.filter((e) => e.dataset.slug === 'persons-by-area')
    expect(ofPersons.map((e) => [e.basis, e.scope, e.files.map((f) => f.version)])).toEqual([
      ['sample', 'sample', [2]],
      ['grant', 'aggregates', [1]],
      ['grant', 'full', [2, 1]],
    ])
    expect(ofPersons[0]?.schema.map((c) => c.name)).toEqual(persons.columns.map((c) => c.name))
    expect(ofPersons[2]?.expiresAt).toEqual(new Date(rowsAt.getTime() + 90 * 86_400_000))
    for (const wanted of ['persons-by-area', dataset.id])
      expect(
        await entitlementsFor(setup.db, officer, as(officer), now, { dataset: wanted }),
      ).toEqual(ofPersons)
    expect(
      await entitlementsFor(setup.db, officer, as(officer), now, { dataset: 'open-weather' }),
    ).toEqual(all.filter((e) => e.dataset.slug === 'open-weather'))
    expect(
      await entitlementsFor(setup.db, officer, as(officer), now, { dataset: 'no-such-thing' }),
    ).toEqual([])
  })

  it('gives nothing to read of a catalogue entry with no version held here, open or not', async () => {
    // As the harvest leaves another portal's datasets: described, not held.
    for (const security of ['official-open', 'restricted'])
      await (setup.db as unknown as Kysely<CatalogTables>)
        .insertInto('datasets')
        .values({
          id: `d_${security === 'restricted' ? 'b' : 'a'}${'0'.repeat(31)}`,
          slug: `described-${security}`,
          title: 'Described elsewhere',
          description: 'Held by another portal',
          agency: 'DOS',
          trusted_centre: 'TC-DoS',
          source_ssots: [],
          security_classification: security,
          sensitivity: 'non-sensitive',
          update_frequency: 'monthly',
          themes: [],
          tags: [],
          tags_text: '',
          columns_text: '',
        })
        .execute()
    const all = await entitlementsFor(setup.db, officer, as(officer), new Date())
    expect(all.filter((e) => e.dataset.slug.startsWith('described-'))).toEqual([])
    expect(all.some((e) => e.dataset.slug === 'open-weather')).toBe(true)
  })
})
