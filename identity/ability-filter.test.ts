import { type Kysely, sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import { asSubject, defineAbilityFor } from './ability.js'
import { accessibleWhere } from './ability-filter.js'
import type { Role, User, UserId } from './user.js'

interface Tables {
  things: { id: number; agency: string; security: string; sensitivity: string }
}
const AGENCIES = ['DOS', 'MOH', 'SLA']
const SECURITY = [
  'official-open',
  'official-closed',
  'restricted',
  'confidential-cloud-eligible',
  'confidential',
  'secret',
]
const ROWS = AGENCIES.flatMap((agency, a) =>
  SECURITY.map((security, s) => ({
    id: a * 10 + s,
    agency,
    security,
    sensitivity: 'non-sensitive',
  })),
)
const CALLERS: [string, Role[]][] = [
  ['MOH', ['officer']],
  ['DOS', ['officer', 'steward']],
  ['MDDI', ['auditor']],
  ['GOVTECH', ['admin']],
]

describe.each(TEST_BACKENDS)('accessibleWhere on %s', (backend) => {
  let test: TestDatabase<Tables>
  beforeAll(async () => {
    test = await openTestDatabase(backend, { postgresUrl: inject('postgresUrl'), migrations: [] })
    await sql`create table things (id int primary key, agency text not null, security text not null, sensitivity text not null)`.execute(
      test.db,
    )
    await test.db.insertInto('things').values(ROWS).execute()
  })
  afterAll(() => test.close())

  const visible = (db: Kysely<Tables>, user: User | undefined, action: 'read' | 'update') =>
    db
      .selectFrom('things')
      .select('id')
      .where(
        accessibleWhere(defineAbilityFor(user), action, 'Dataset', {
          agency: 'things.agency',
          security: 'things.security',
          sensitivity: 'things.sensitivity',
        }),
      )
      .orderBy('id')
      .execute()

  it.each(CALLERS)('returns exactly the rows the rules allow for %s %j', async (agency, roles) => {
    const user: User = {
      id: 'u_0' as UserId,
      username: 'x',
      displayName: 'x',
      email: 'x',
      agency: { code: agency, name: agency, ministryFamily: agency },
      roles,
    }
    const ability = defineAbilityFor(user)
    for (const action of ['read', 'update'] as const) {
      const expected = ROWS.filter((row) => ability.can(action, asSubject('Dataset', row))).map(
        (r) => r.id,
      )
      expect((await visible(test.db, user, action)).map((r) => r.id)).toEqual(expected)
    }
  })

  it('returns nothing to an anonymous caller', async () => {
    expect(await visible(test.db, undefined, 'read')).toEqual([])
  })
})
