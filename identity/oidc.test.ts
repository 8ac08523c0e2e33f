import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  API_AUDIENCE,
  appDepsOf,
  createApp,
  IDP_CLIENT,
  openTestRuntime,
  startIdentityProvider,
  type TestRuntime,
} from '../testing/index.js'
import { createOidc } from './oidc.js'

const PUBLIC_URL = 'http://portal.test'
const cookieOf = (res: Response, name = 'portal_session') =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0] ?? ''

describe('OpenID Connect sign-in against a real provider', () => {
  let runtime: TestRuntime
  let idp: Awaited<ReturnType<typeof startIdentityProvider>>
  let app: ReturnType<typeof createApp>

  beforeAll(async () => {
    runtime = await openTestRuntime({ backend: 'pglite' })
    idp = await startIdentityProvider({
      redirectUri: `${PUBLIC_URL}/api/auth/oidc/callback`,
      accounts: [
        {
          sub: 'alice',
          name: 'Alice Tan',
          email: 'alice@moh.example.gov.sg',
          agency: 'moh',
          roles: ['officer'],
        },
        { sub: 'eve', name: 'Eve', email: 'eve@example.com', agency: 'NOWHERE', roles: ['admin'] },
      ],
      accessTokenTtlSeconds: 2,
    })
    const oidc = createOidc({
      issuer: idp.issuer,
      clientId: IDP_CLIENT.id,
      clientSecret: IDP_CLIENT.secret,
      redirectUri: `${PUBLIC_URL}/api/auth/oidc/callback`,
      audience: API_AUDIENCE,
    })
    app = createApp({
      ...appDepsOf(runtime),
      auth: { ...runtime.auth, oidc, devSignIn: false, publicUrl: PUBLIC_URL },
    })
  })
  afterAll(async () => {
    await idp.close()
    await runtime.dispose()
  })

  const startSignIn = async (returnTo = '/datasets') => {
    const res = await app.request(`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`)
    expect(res.status).toBe(302)
    const location = res.headers.get('location') ?? ''
    expect(new URL(location).searchParams.get('code_challenge_method')).toBe('S256')
    return { location, stateCookie: cookieOf(res, 'portal_oidc_state') }
  }
  const callback = (url: URL, cookie: string) =>
    app.request(`${url.pathname}${url.search}`, { headers: { cookie } })

  it('signs a person in with authorization code and PKCE, and opens a session', async () => {
    const { location, stateCookie } = await startSignIn()
    const back = await idp.signInAs(location, 'alice')
    expect(back.origin + back.pathname).toBe(`${PUBLIC_URL}/api/auth/oidc/callback`)
    const res = await callback(back, stateCookie)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/datasets')
    const me = await app.request('/api/auth/me', { headers: { cookie: cookieOf(res) } })
    expect(((await me.json()) as { data: unknown }).data).toMatchObject({
      via: 'session',
      user: {
        username: 'alice',
        displayName: 'Alice Tan',
        agency: { code: 'MOH' },
        roles: ['officer'],
      },
    })
  })

  it('refuses a callback whose state was tampered with, replayed, or from another browser', async () => {
    const { location, stateCookie } = await startSignIn()
    const back = await idp.signInAs(location, 'alice')
    const tampered = new URL(back)
    tampered.searchParams.set('state', 'forged-state')
    const refused = await callback(tampered, stateCookie)
    expect(refused.headers.get('location')).toMatch(/^\/sign-in\?error=/)
    expect(cookieOf(refused)).toBe('')
    // The first (refused) attempt consumed nothing; a callback without the browser's state cookie is refused.
    expect((await callback(back, '')).headers.get('location')).toMatch(
      /^\/sign-in\?error=The%20sign-in%20expired/,
    )
  })

  it('refuses a person whose agency the portal does not know', async () => {
    const { location, stateCookie } = await startSignIn()
    const res = await callback(await idp.signInAs(location, 'eve'), stateCookie)
    expect(decodeURIComponent(res.headers.get('location') ?? '')).toBe(
      "/sign-in?error=Your agency 'NOWHERE' is not registered on the portal: ask an administrator",
    )
  })

  it("accepts the provider's JWT access tokens for linked identities, and refuses tampered or expired ones", async () => {
    const token = await idp.clientCredentialsToken()
    const bearer = (t: string) =>
      app.request('/api/datasets', { headers: { authorization: `Bearer ${t}` } })
    expect(
      ((await (await bearer(token)).json()) as { error: { message: string } }).error.message,
    ).toBe('No portal user is linked to this identity: sign in through the portal once')
    await runtime.auth.users.findOrLinkOidcUser(idp.issuer, IDP_CLIENT.id, {
      username: 'svc.nightly',
      displayName: 'Nightly job',
      email: '',
      agencyCode: 'DOS',
      roles: ['officer'],
    })
    expect((await bearer(token)).status).toBe(200)

    const [header, payload, signature] = token.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<
      string,
      unknown
    >
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'alice' })).toString('base64url')}.${signature}`
    const tampered = await bearer(forged)
    expect(tampered.status).toBe(401)
    expect(((await tampered.json()) as { error: { message: string } }).error.message).toBe(
      'The bearer token is invalid or expired',
    )

    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect((await bearer(token)).status).toBe(401)
  })
})
