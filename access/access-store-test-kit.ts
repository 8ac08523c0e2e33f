import type { Kysely } from 'kysely'
import { afterAll, beforeAll, inject } from 'vitest'
import { type AuditTables, auditMigrations } from '../audit/index.js'
import {
  catalogMigrations,
  createDatasetStore,
  type DatasetRegistration,
  type DatasetStore,
} from '../catalog/index.js'
import { FIXTURE_AGENCIES } from '../fixtures/index.js'
import {
  createUserStore,
  defineAbilityFor,
  type IdentityTables,
  identityMigrations,
  type User,
  type UserId,
} from '../identity/index.js'
import { notificationsMigrations } from '../notifications/index.js'
import { createWorkingDayCalendar } from '../reference/index.js'
import { openTestDatabase, type TestBackend, type TestDatabase } from '../testing/index.js'
import { type AccessStore, createAccessStore } from './access-store.js'
import type { AccessTables } from './access-tables.js'
import { accessMigrations } from './migrations.js'

let next = 0
/** A user of the given agency and roles, with an id of their own. */
export const person = (username: string, agency: string, roles: User['roles']): User => ({
  id: `u_${String(++next).padStart(24, '0')}` as UserId,
  username,
  displayName: username,
  email: `${username}@example.gov.sg`,
  agency: { code: agency, name: agency, ministryFamily: agency },
  roles,
})
export const officer = person('officer.moe', 'MOE', ['officer'])
export const stewardDos = person('steward.dos', 'DOS', ['officer', 'steward'])
export const stewardMoh = person('steward.moh', 'MOH', ['officer', 'steward'])
export const steward2Moh = person('steward2.moh', 'MOH', ['officer', 'steward'])

/** What `user` may do. */
export const as = (user: User) => defineAbilityFor(user)

/** A dataset of three columns, owned by `agency`, classified as given. */
export const registration = (
  slug: string,
  agency: string,
  security: DatasetRegistration['classification']['security'],
  sensitivity: DatasetRegistration['classification']['sensitivity'],
): DatasetRegistration => ({
  slug,
  title: slug.replaceAll('-', ' '),
  description: `Synthetic ${slug} for the access workflow tests.`,
  agency,
  trustedCentre: `TC-${agency}`,
  sourceSsots: [agency.toLowerCase()],
  classification: { security, sensitivity },
  updateFrequency: 'monthly',
  columns: ['person_key', 'planning_area_code', 'age_band'].map((name) => ({
    name,
    description: name,
    personalData: 'none' as const,
  })),
})

/** Singapore time, as officers read it. */
export const sgt = (local: string) => new Date(`${local}+08:00`)

/** The fields of a request that the tests do not vary. */
export const request = {
  purpose: 'Plan school places by planning area for 2027',
  legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
  durationDays: 90,
}

/** What `useAccessStore` holds: filled before the first test runs. */
export interface AccessStoreSetup {
  db: Kysely<AccessTables & IdentityTables & AuditTables>
  access: AccessStore
  catalog: DatasetStore
}

/**
 * Opens a migrated database on `backend` for the describe block it is called in, with an access
 * store over four published datasets (DOS persons by area, GovTech open weather, MOH chronic
 * registry and clinic visits), and closes it after the block's last test.
 */
export function useAccessStore(backend: TestBackend): AccessStoreSetup {
  const setup = {} as AccessStoreSetup
  let test: TestDatabase<AccessTables & IdentityTables & AuditTables>
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [
        identityMigrations,
        auditMigrations,
        catalogMigrations,
        notificationsMigrations,
        accessMigrations,
      ],
    })
    await createUserStore(test.db).saveAgencies(FIXTURE_AGENCIES)
    const catalog = createDatasetStore(test.db)
    Object.assign(setup, {
      db: test.db,
      catalog,
      access: createAccessStore(test.db, createWorkingDayCalendar()),
    })
    const publish = (r: DatasetRegistration) =>
      catalog.publishVersion(
        r,
        {
          rowCount: 10,
          byteSize: 100,
          contentSha256: r.slug.padEnd(64, '0').slice(0, 64),
          schema: r.columns.map((c) => ({ name: c.name, type: 'VARCHAR' })),
        },
        async (v) => `tc/${r.slug}/v${v}.parquet`,
      )
    await publish(registration('persons-by-area', 'DOS', 'restricted', 'sensitive-normal'))
    await publish(registration('open-weather', 'GOVTECH', 'official-open', 'non-sensitive'))
    await publish(registration('chronic-registry', 'MOH', 'restricted', 'sensitive-high'))
    await publish(registration('clinic-visits', 'MOH', 'restricted', 'sensitive-normal'))
  })
  afterAll(() => test?.close())
  return setup
}
