import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { appDepsOf, createApp, runCli, signInAs, useTestPlatform } from '../testing/index.js'

const errorMessage = async (res: Response) =>
  ((await res.json()) as { error: { message: string } }).error.message
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const platform = useTestPlatform({ backend: 'pglite' })

describe('sign-in and sessions', () => {
  it('signs in with the development picker into an HttpOnly, SameSite session cookie', async () => {
    const res = await platform.app.request('/api/auth/dev/sign-in', json({ user: 'steward.dos' }))
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(
      /^portal_session=gds_[\w-]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
    )
    const me = await platform.app.request('/api/auth/me', {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    })
    expect(await me.json()).toEqual({
      ok: true,
      data: {
        via: 'session',
        csrfToken: expect.stringMatching(/^csrf_/),
        user: {
          id: expect.stringMatching(/^u_/),
          username: 'steward.dos',
          displayName: 'Lim Hui Min (DOS data steward)',
          email: 'steward.dos@example.gov.sg',
          agency: { code: 'DOS', name: 'Department of Statistics', ministryFamily: 'MTI' },
          roles: ['officer', 'steward'],
        },
      },
    })
  })

  it('refuses an unknown user, a malformed body, and the picker when it is off', async () => {
    const unknown = await platform.app.request('/api/auth/dev/sign-in', json({ user: 'mallory' }))
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: "Unknown user 'mallory': GET /api/auth/dev/users lists who you can sign in as",
      },
    })
    const malformed = await platform.app.request(
      '/api/auth/dev/sign-in',
      json({ username: 'admin' }),
    )
    expect(await errorMessage(malformed)).toBe(
      'user: Invalid input: expected string, received undefined',
    )
    const production = createApp({
      ...appDepsOf(platform.runtime),
      auth: { ...platform.runtime.auth, devSignIn: false },
    })
    expect(
      (await production.request('/api/auth/dev/sign-in', json({ user: 'admin' }))).status,
    ).toBe(404)
    expect((await production.request('/api/auth/dev/users')).status).toBe(404)
    expect(await (await production.request('/api/auth/methods')).json()).toEqual({
      ok: true,
      data: { oidc: false, dev: false },
    })
  })

  it('needs the CSRF token for state-changing requests made with the session cookie', async () => {
    const { cookie, 'x-csrf-token': csrf } = await signInAs(platform.app, 'officer.moh')
    const body = { name: 'csrf check', scopes: ['read'], expiresInDays: 1 }
    const without = await platform.app.request('/api/tokens', {
      ...json(body),
      headers: { 'content-type': 'application/json', cookie: cookie ?? '' },
    })
    expect(without.status).toBe(403)
    expect(await errorMessage(without)).toBe(
      'Missing or wrong X-CSRF-Token header: send the token from GET /api/auth/me',
    )
    const wrong = await platform.app.request('/api/tokens', {
      ...json(body),
      headers: {
        'content-type': 'application/json',
        cookie: cookie ?? '',
        'x-csrf-token': `${csrf}x`,
      },
    })
    expect(wrong.status).toBe(403)
    const right = await platform.app.request('/api/tokens', {
      ...json(body),
      headers: {
        'content-type': 'application/json',
        cookie: cookie ?? '',
        'x-csrf-token': csrf ?? '',
      },
    })
    expect(right.status).toBe(201)
  })

  it('signs out: the session stops working and the cookie is cleared', async () => {
    const headers = await signInAs(platform.app, 'officer.moe')
    const res = await platform.app.request('/api/auth/sign-out', { method: 'POST', headers })
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toMatch(/^portal_session=; Max-Age=0; Path=\//)
    expect(await (await platform.app.request('/api/auth/me', { headers })).json()).toEqual({
      ok: true,
      data: null,
    })
    expect((await platform.app.request('/api/datasets', { headers })).status).toBe(401)
  })
})

// The last test reads the audit trail that every test of this file, in order, left.
describe('API tokens, and the audit trail of sign-ins and tokens', () => {
  it('issues a token shown once, which works as a Bearer token until revoked', async () => {
    const session = await signInAs(platform.app, 'steward.sla')
    const created = await platform.app.request('/api/tokens', {
      ...json({ name: 'nightly', scopes: ['read'], expiresInDays: 30 }),
      headers: { ...session, 'content-type': 'application/json' },
    })
    const { data } = (await created.json()) as { data: { token: string; apiToken: { id: string } } }
    expect(data.token).toMatch(/^gdp_/)
    const listed = await (await platform.app.request('/api/tokens', { headers: session })).text()
    expect(listed).toContain(data.apiToken.id)
    expect(listed).not.toContain(data.token)

    const bearer = { authorization: `Bearer ${data.token}` }
    expect((await platform.app.request('/api/datasets', { headers: bearer })).status).toBe(200)
    const write = await platform.app.request('/api/auth/sign-out', {
      method: 'POST',
      headers: bearer,
    })
    expect(await write.json()).toEqual({
      ok: false,
      error: {
        code: 'forbidden',
        message: 'This API token is read-only: create one with the write scope',
      },
    })
    const mint = await platform.app.request('/api/tokens', { headers: bearer })
    expect(await errorMessage(mint)).toBe('Manage API tokens from a signed-in browser session')

    const revoked = await platform.app.request(`/api/tokens/${data.apiToken.id}/revoke`, {
      method: 'POST',
      headers: session,
    })
    expect(((await revoked.json()) as { data: { revokedAt: string } }).data.revokedAt).toEqual(
      expect.any(String),
    )
    const after = await platform.app.request('/api/datasets', { headers: bearer })
    expect(after.status).toBe(401)
    expect(await errorMessage(after)).toBe('The bearer token is invalid, expired or revoked')
  })

  it('refuses a token past its expiry, a forged token and a malformed header with 401', async () => {
    const session = await signInAs(platform.app, 'officer.moh')
    const created = await platform.app.request('/api/tokens', {
      ...json({ name: 'short', scopes: ['read', 'write'], expiresInDays: 1 }),
      headers: { ...session, 'content-type': 'application/json' },
    })
    const { token } = ((await created.json()) as { data: { token: string } }).data
    const tomorrow = createApp({
      ...appDepsOf(platform.runtime),
      auth: { ...platform.runtime.auth, now: () => new Date(Date.now() + 86_400_000 + 60_000) },
    })
    expect(
      (
        await platform.app.request('/api/datasets', {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status,
    ).toBe(200)
    expect(
      (await tomorrow.request('/api/datasets', { headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(401)
    expect(
      (
        await platform.app.request('/api/datasets', {
          headers: { authorization: `Bearer ${token.slice(0, -2)}xx` },
        })
      ).status,
    ).toBe(401)
    const malformed = await platform.app.request('/api/datasets', {
      headers: { authorization: `Basic ${token}` },
    })
    expect(await errorMessage(malformed)).toBe('The Authorization header must be "Bearer <token>"')
  })

  it('records sign-ins, token use and token changes in an audit trail that detects tampering', async () => {
    const auditor = await signInAs(platform.app, 'auditor')
    const entries = (
      (await (
        await platform.app.request('/api/audit?limit=1000', { headers: auditor })
      ).json()) as {
        data: { action: string; outcome: string; actor: string }[]
      }
    ).data
    const actions = new Set(entries.map((e) => `${e.action}:${e.outcome}`))
    for (const action of [
      'auth.sign-in:succeeded',
      'auth.sign-in:failed',
      'auth.sign-out:succeeded',
      'token.create:succeeded',
      'token.use:succeeded',
      'token.revoke:succeeded',
    ]) {
      expect(actions, action).toContain(action)
    }
    expect(
      await (await platform.app.request('/api/audit/verify', { headers: auditor })).json(),
    ).toMatchObject({ ok: true, data: { ok: true } })
    const exported = await (
      await platform.app.request('/api/audit/export', { headers: auditor })
    ).text()
    expect(exported.trimEnd().split('\n').length).toBeGreaterThanOrEqual(entries.length)

    await platform.runtime.db.transaction().execute(async (trx) => {
      await sql`alter table audit_log disable trigger audit_log_no_change`.execute(trx)
      await sql`update audit_log set actor = 'someone-else' where seq = 3`.execute(trx)
      await sql`alter table audit_log enable trigger audit_log_no_change`.execute(trx)
    })
    expect(
      await (await platform.app.request('/api/audit/verify', { headers: auditor })).json(),
    ).toMatchObject({
      ok: true,
      data: {
        ok: false,
        firstBadSeq: 3,
        kind: 'altered',
        problem: 'Entry 3 was altered: its content no longer matches its keyed hash',
      },
    })
    let out = ''
    const code = await runCli(
      ['verify-audit'],
      // Development mode, as the runtime: the keys are the ones in its data directory.
      { DATA_DIR: platform.runtime.dataDir, LOG_LEVEL: 'silent', DEV_SIGN_IN: 'true' },
      (t) => {
        out += t
      },
      () => undefined,
    )
    expect(code).toBe(1)
    expect(out).toBe(
      'Audit log BROKEN at entry 3 (altered): Entry 3 was altered: its content no longer matches its keyed hash\n',
    )
  })
})
