import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ConflictError } from '../core/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { createNamespaceStore } from './namespace-store.js'

describe.each(TEST_BACKENDS)('lineage namespace registry on %s', (backend) => {
  let test: TestDatabase<LineageTables>
  const now = new Date('2026-12-06T09:00:00Z')
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [lineageMigrations],
    })
  })
  afterAll(() => test.close())

  it('registers a namespace to one agency, in any spelling, once', async () => {
    const store = createNamespaceStore(test.db)
    const first = await store.register({ namespace: 'airflow://dos', agency: 'DOS' }, 'admin', now)
    expect(first).toEqual({
      created: true,
      registration: {
        namespace: 'airflow://dos',
        agency: 'DOS',
        registeredBy: 'admin',
        registeredAt: now,
      },
    })
    const again = await store.register({ namespace: 'airflow://dos', agency: 'DOS' }, 'x', now)
    expect(again).toMatchObject({ created: false, registration: { registeredBy: 'admin' } })
    await expect(
      store.register({ namespace: 'airflow://dos', agency: 'SLA' }, 'admin', now),
    ).rejects.toThrow(
      new ConflictError(
        "Lineage namespace 'airflow://dos' is already registered to DOS: unregister it first to move it",
      ),
    )
    // Another spelling of a held namespace is the same namespace.
    await expect(
      store.register({ namespace: 'Airflow://DOS/', agency: 'DOS' }, 'admin', now),
    ).rejects.toThrow(/already registered as 'airflow:\/\/dos' to DOS/)
    expect((await store.list()).map((n) => n.namespace)).toEqual(['airflow://dos'])
  })

  it("never registers the platform's own namespace, however spelt", async () => {
    const store = createNamespaceStore(test.db)
    for (const namespace of [
      'gov-data-portal',
      'GOV-DATA-PORTAL/',
      'gov-data-portal.staging',
      'Feeds://DOS',
    ])
      await expect(store.register({ namespace, agency: 'DOS' }, 'admin', now)).rejects.toThrow(
        /is the platform's own namespace \(gov-data-portal, gov-data-portal\.\*, feeds:\/\/\*\)/,
      )
  })

  it('finds owners by canonical form, and removes a registration', async () => {
    const store = createNamespaceStore(test.db)
    await store.register({ namespace: 's3://sla-geo', agency: 'SLA' }, 'admin', now)
    const owners = await store.ownersOf(['S3://SLA-GEO/', 'airflow://dos', 'nowhere'])
    expect([...owners.keys()].sort()).toEqual(['airflow://dos', 's3://sla-geo'])
    expect(owners.get('s3://sla-geo')?.agency).toBe('SLA')
    expect((await store.ownersOf([])).size).toBe(0)
    expect(await store.unregister('s3%3A%2F%2Fsla-geo')).toMatchObject({
      namespace: 's3://sla-geo',
      agency: 'SLA',
    })
    expect(await store.unregister('s3://sla-geo')).toBeUndefined()
    // Moved: removed, then registered to another agency.
    expect(
      (await store.register({ namespace: 's3://sla-geo', agency: 'DOS' }, 'admin', now)).created,
    ).toBe(true)
  })

  it('keeps a change and what runs within it together: both or neither', async () => {
    const store = createNamespaceStore(test.db)
    await expect(
      store.register({ namespace: 'spark://moh', agency: 'MOH' }, 'admin', now, async () => {
        throw new Error('audit failed')
      }),
    ).rejects.toThrow('audit failed')
    expect((await store.ownersOf(['spark://moh'])).size).toBe(0)
    let seen: unknown
    await store.register(
      { namespace: 'spark://moh', agency: 'MOH' },
      'admin',
      now,
      async (_, r) => {
        seen = r.namespace
      },
    )
    expect(seen).toBe('spark://moh')
  })
})
