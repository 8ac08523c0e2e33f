import type { Server } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider from 'oidc-provider'
import { freePort } from './free-port.js'

/** A person the local identity provider knows, with the claims the portal reads. */
export interface IdpAccount {
  sub: string
  name: string
  email: string
  agency: string
  roles: string[]
}

export const IDP_CLIENT = { id: 'portal', secret: 'portal-test-secret' } as const
export const API_AUDIENCE = 'urn:portal:api'

/**
 * A real OpenID Connect provider (the `oidc-provider` package) on a free loopback port, for
 * tests: authorization code with PKCE for people, client credentials with JWT access tokens for
 * scripts. Its development login accepts any account name in `accounts`.
 */
export async function startIdentityProvider(options: {
  redirectUri: string
  accounts: readonly IdpAccount[]
  accessTokenTtlSeconds?: number
}) {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' }
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: IDP_CLIENT.id,
        client_secret: IDP_CLIENT.secret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code', 'client_credentials'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'agency', 'roles'],
      email: ['email'],
    },
    conformIdTokenClaims: false,
    findAccount: async (_ctx, id) => {
      const account = options.accounts.find((a) => a.sub === id)
      if (!account) return undefined
      return {
        accountId: id,
        claims: async () => ({ ...account, preferred_username: account.sub }),
      }
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: API_AUDIENCE,
          accessTokenFormat: 'jwt',
          accessTokenTTL: options.accessTokenTtlSeconds ?? 600,
        }),
      },
    },
  })
  const server = provider.listen(port) as unknown as Server
  await new Promise((resolve) => server.once('listening', resolve))
  return {
    issuer,
    /** A JWT access token for the client itself (its `sub` is the client id). */
    async clientCredentialsToken(): Promise<string> {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: IDP_CLIENT.id,
          client_secret: IDP_CLIENT.secret,
          resource: API_AUDIENCE,
          scope: 'api',
        }),
      })
      const body = (await res.json()) as { access_token?: string; error_description?: string }
      if (!body.access_token)
        throw new Error(`client_credentials failed: ${body.error_description}`)
      return body.access_token
    },
    /**
     * Plays the person's part in the browser: follows the provider's redirects, logs in as `sub`,
     * consents, and returns the URL the provider sends the browser back to.
     */
    async signInAs(authorizationUrl: string, sub: string): Promise<URL> {
      const jar = new Map<string, string>()
      const send = async (url: string, init: RequestInit = {}) => {
        const res = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: {
            ...(init.headers as Record<string, string>),
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          },
        })
        for (const cookie of res.headers.getSetCookie()) {
          const [pair] = cookie.split(';')
          const [name, ...value] = (pair ?? '').split('=')
          if (name) jar.set(name, value.join('='))
        }
        return res
      }
      let location = authorizationUrl
      for (let step = 0; step < 10; step++) {
        if (!location.startsWith(issuer)) return new URL(location)
        const res = await send(location)
        const next = res.headers.get('location')
        if (next) {
          location = new URL(next, issuer).toString()
          continue
        }
        // An interaction page: answer the login prompt, then the consent prompt.
        const form = new URLSearchParams(
          /name="prompt" value="consent"/.test(await res.text())
            ? { prompt: 'consent' }
            : { prompt: 'login', login: sub, password: 'any' },
        )
        const posted = await send(location, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        })
        location = new URL(posted.headers.get('location') ?? location, issuer).toString()
      }
      throw new Error('The identity provider did not send the browser back')
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
