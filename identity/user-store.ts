import { randomBytes } from 'node:crypto'
import type { Kysely, Selectable } from 'kysely'
import type { AgencyRow, IdentityTables, UserRow } from './identity-tables.js'
import { type Agency, isRole, type Role, type User, type UserId } from './user.js'

/** A user as a roster or an identity provider describes them. */
export interface UserProfile {
  username: string
  displayName: string
  email: string
  agencyCode: string
  roles: Role[]
}

export interface UserStore {
  /** Adds the agencies, or updates their names and Ministry families. */
  saveAgencies(agencies: readonly Agency[]): Promise<void>
  /** Adds the users, or brings existing ones (by username) in line with the profile. */
  saveUsers(profiles: readonly UserProfile[]): Promise<void>
  findUser(id: string): Promise<User | undefined>
  findUserByUsername(username: string): Promise<User | undefined>
  listUsers(): Promise<User[]>
  findAgency(code: string): Promise<Agency | undefined>
  listAgencies(): Promise<Agency[]>
  /** The user linked to an identity provider's subject, if any. */
  findOidcUser(issuer: string, subject: string): Promise<User | undefined>
  /**
   * The user an identity provider vouches for: found by (issuer, subject), else linked by
   * username on first sign-in, else created from the profile.
   */
  findOrLinkOidcUser(issuer: string, subject: string, profile: UserProfile): Promise<User>
}

/** Users who may sign in, each with their agency: what `rowToUser` makes a User of. */
export const selectUsersOf = (db: Kysely<IdentityTables>) =>
  db
    .selectFrom('users')
    .innerJoin('agencies', 'agencies.code', 'users.agency_code')
    .selectAll('users')
    .select(['agencies.name as agency_name', 'agencies.ministry_family'])
    .where('users.disabled_at', 'is', null)

export function createUserStore(db: Kysely<IdentityTables>): UserStore {
  const selectUsers = () => selectUsersOf(db)

  return {
    async saveAgencies(agencies) {
      if (agencies.length === 0) return
      await db
        .insertInto('agencies')
        .values(
          agencies.map((a) => ({ code: a.code, name: a.name, ministry_family: a.ministryFamily })),
        )
        .onConflict((oc) =>
          oc.column('code').doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            ministry_family: eb.ref('excluded.ministry_family'),
          })),
        )
        .execute()
    },

    async saveUsers(profiles) {
      if (profiles.length === 0) return
      await db
        .insertInto('users')
        .values(profiles.map((p) => ({ id: newUserId(), ...profileColumns(p) })))
        .onConflict((oc) =>
          oc.column('username').doUpdateSet((eb) => ({
            display_name: eb.ref('excluded.display_name'),
            email: eb.ref('excluded.email'),
            agency_code: eb.ref('excluded.agency_code'),
            roles: eb.ref('excluded.roles'),
          })),
        )
        .execute()
    },

    async findUser(id) {
      const row = await selectUsers().where('users.id', '=', id).executeTakeFirst()
      return row && rowToUser(row)
    },

    async findUserByUsername(username) {
      const row = await selectUsers().where('users.username', '=', username).executeTakeFirst()
      return row && rowToUser(row)
    },

    async listUsers() {
      const rows = await selectUsers().orderBy('users.username').execute()
      return rows.map(rowToUser)
    },

    async listAgencies() {
      const rows = await db.selectFrom('agencies').selectAll().orderBy('code').execute()
      return rows.map(rowToAgency)
    },

    async findAgency(code) {
      const row = await db
        .selectFrom('agencies')
        .selectAll()
        .where('code', '=', code)
        .executeTakeFirst()
      return row && rowToAgency(row)
    },

    async findOidcUser(issuer, subject) {
      const row = await selectUsers()
        .where('users.oidc_issuer', '=', issuer)
        .where('users.oidc_subject', '=', subject)
        .executeTakeFirst()
      return row && rowToUser(row)
    },

    async findOrLinkOidcUser(issuer, subject, profile) {
      const linked = await selectUsers()
        .where('users.oidc_issuer', '=', issuer)
        .where('users.oidc_subject', '=', subject)
        .executeTakeFirst()
      if (linked) return rowToUser(linked)
      await db
        .insertInto('users')
        .values({
          id: newUserId(),
          ...profileColumns(profile),
          oidc_issuer: issuer,
          oidc_subject: subject,
        })
        .onConflict((oc) =>
          oc
            .column('username')
            .doUpdateSet({ oidc_issuer: issuer, oidc_subject: subject })
            .where('users.oidc_subject', 'is', null),
        )
        .execute()
      const row = await selectUsers()
        .where('users.oidc_issuer', '=', issuer)
        .where('users.oidc_subject', '=', subject)
        .executeTakeFirst()
      if (!row)
        throw new Error(`Username '${profile.username}' already belongs to another identity`)
      return rowToUser(row)
    },
  }
}

function newUserId(): string {
  return `u_${randomBytes(12).toString('hex')}`
}

function profileColumns(p: UserProfile) {
  return {
    username: p.username,
    display_name: p.displayName,
    email: p.email,
    agency_code: p.agencyCode,
    roles: p.roles,
  }
}

function rowToAgency(row: Selectable<AgencyRow>): Agency {
  return { code: row.code, name: row.name, ministryFamily: row.ministry_family }
}

export function rowToUser(
  row: Selectable<UserRow> & { agency_name: string; ministry_family: string },
): User {
  return {
    id: row.id as UserId,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    agency: { code: row.agency_code, name: row.agency_name, ministryFamily: row.ministry_family },
    roles: row.roles.filter(isRole),
  }
}
