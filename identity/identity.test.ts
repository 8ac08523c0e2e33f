import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { FIXTURE_AGENCIES, FIXTURE_USERS } from '../fixtures/index.js'
import { hashSecret } from '../keys/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import { createApiTokenStore } from './api-token-store.js'
import type { IdentityTables } from './identity-tables.js'
import { identityMigrations } from './migrations.js'
import { createSessionStore } from './session-store.js'
import { createUserStore } from './user-store.js'

const now = new Date('2026-11-22T09:00:00Z')
const later = (ms: number) => new Date(now.getTime() + ms)
const DAY = 86_400_000

describe.each(TEST_BACKENDS)('identity stores on %s', (backend) => {
  let test: TestDatabase<IdentityTables>
  let users: ReturnType<typeof createUserStore>
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [identityMigrations],
    })
    users = createUserStore(test.db)
    await users.saveAgencies(FIXTURE_AGENCIES)
    await users.saveUsers(FIXTURE_USERS)
  })
  afterAll(() => test.close())

  it('saves the roster idempotently, with agencies and roles', async () => {
    await users.saveUsers(FIXTURE_USERS)
    const all = await users.listUsers()
    expect(all.map((u) => u.username)).toEqual([...FIXTURE_USERS.map((u) => u.username)].sort())
    expect(await users.findUserByUsername('steward.dos')).toMatchObject({
      id: expect.stringMatching(/^u_[0-9a-f]{24}$/),
      agency: { code: 'DOS', name: 'Department of Statistics', ministryFamily: 'MTI' },
      roles: ['officer', 'steward'],
    })
  })

  it('keeps sessions by the hash of their token until they expire or are ended', async () => {
    const sessions = createSessionStore(test.db)
    const user = await users.findUserByUsername('officer.moh')
    if (!user) throw new Error('roster missing')
    const session = await sessions.createSession(user, 'dev', now, 3_600_000)
    expect(session.token).toMatch(/^gds_[\w-]{43}$/)
    const stored = await test.db.selectFrom('sessions').selectAll().execute()
    expect(stored.map((s) => s.id_hash)).toEqual([hashSecret(session.token)])
    expect(JSON.stringify(stored)).not.toContain(session.token)

    expect(await sessions.findSession(session.token, later(1000))).toEqual({
      session: {
        userId: user.id,
        csrfToken: session.csrfToken,
        method: 'dev',
        expiresAt: session.expiresAt,
      },
      user,
    })
    // A person who may no longer sign in loses the sessions they hold at once.
    const disable = (at: Date | null) =>
      test.db.updateTable('users').set({ disabled_at: at }).where('id', '=', user.id).execute()
    await disable(now)
    expect(await sessions.findSession(session.token, later(1000))).toBeUndefined()
    await disable(null)
    expect(await sessions.findSession(session.token, later(3_600_001))).toBeUndefined()
    expect(await sessions.findSession(`${session.token}x`, later(1000))).toBeUndefined()
    await sessions.deleteSession(session.token)
    expect(await sessions.findSession(session.token, later(1000))).toBeUndefined()
  })

  it('uses an OIDC sign-in flow once', async () => {
    const sessions = createSessionStore(test.db)
    await sessions.saveAuthFlow({
      state: 's1',
      codeVerifier: 'v',
      nonce: 'n',
      returnTo: '/',
      expiresAt: later(600_000),
    })
    expect(await sessions.takeAuthFlow('s1', now)).toMatchObject({ codeVerifier: 'v', nonce: 'n' })
    expect(await sessions.takeAuthFlow('s1', now)).toBeUndefined()
  })

  it('issues API tokens that are shown once, stored hashed, and stop at expiry or revocation', async () => {
    const tokens = createApiTokenStore(test.db, users)
    const owner = await users.findUserByUsername('steward.sla')
    if (!owner) throw new Error('roster missing')
    const { token, apiToken } = await tokens.createToken(
      owner,
      { name: 'nightly sync', scopes: ['read'], expiresAt: later(7 * DAY) },
      now,
    )
    expect(token).toMatch(/^gdp_/)
    expect(
      JSON.stringify(await test.db.selectFrom('api_tokens').selectAll().execute()),
    ).not.toContain(token)
    expect(await tokens.listTokens(owner.id)).toEqual([
      expect.objectContaining({ id: apiToken.id, name: 'nightly sync', scopes: ['read'] }),
    ])

    expect((await tokens.redeemToken(token, later(DAY)))?.user.username).toBe('steward.sla')
    expect((await tokens.listTokens(owner.id))[0]?.lastUsedAt).toEqual(later(DAY))
    expect(await tokens.redeemToken(token, later(8 * DAY))).toBeUndefined()

    const other = await users.findUserByUsername('officer.moh')
    expect(await tokens.revokeToken(other?.id ?? '', apiToken.id, now)).toBeUndefined()
    expect((await tokens.revokeToken(owner.id, apiToken.id, later(2 * DAY)))?.revokedAt).toEqual(
      later(2 * DAY),
    )
    expect(await tokens.redeemToken(token, later(3 * DAY))).toBeUndefined()
  })

  it('refuses tokens that are already expired or live too long', async () => {
    const tokens = createApiTokenStore(test.db, users)
    const owner = await users.findUserByUsername('steward.sla')
    if (!owner) throw new Error('roster missing')
    await expect(
      tokens.createToken(owner, { name: 'x', scopes: ['read'], expiresAt: now }, now),
    ).rejects.toThrow('expiresAt must be in the future')
    await expect(
      tokens.createToken(owner, { name: 'x', scopes: ['read'], expiresAt: later(400 * DAY) }, now),
    ).rejects.toThrow('expiresAt must be at most 365 days away')
  })

  it('links an identity-provider subject to an existing username once, then finds it by subject', async () => {
    const profile = {
      username: 'officer.moe',
      displayName: 'D',
      email: 'd@x',
      agencyCode: 'MOE',
      roles: ['officer' as const],
    }
    const linked = await users.findOrLinkOidcUser('https://idp.example', 'sub-123', profile)
    expect(linked.username).toBe('officer.moe')
    expect(
      (
        await users.findOrLinkOidcUser('https://idp.example', 'sub-123', {
          ...profile,
          username: 'renamed',
        })
      ).id,
    ).toBe(linked.id)
    await expect(
      users.findOrLinkOidcUser('https://idp.example', 'sub-999', profile),
    ).rejects.toThrow("Username 'officer.moe' already belongs to another identity")
    const created = await users.findOrLinkOidcUser('https://idp.example', 'sub-new', {
      ...profile,
      username: 'new.person',
    })
    expect(created).toMatchObject({
      username: 'new.person',
      agency: { code: 'MOE' },
      roles: ['officer'],
    })
  })
})
