import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'
import * as client from 'openid-client'

export interface OidcSettings {
  issuer: string
  clientId: string
  clientSecret: string
  redirectUri: string
  /** Audience of JWT access tokens accepted as Bearer tokens; undefined = none accepted. */
  audience?: string
}

/** The claims the portal reads about a person signing in. */
export interface OidcClaims extends JWTPayload {
  sub: string
  preferred_username?: string
  name?: string
  email?: string
  agency?: string
  roles?: string[]
}

/** A pending sign-in's secrets, kept server-side until the provider calls back. */
export interface OidcStart {
  url: URL
  state: string
  codeVerifier: string
  nonce: string
}

export interface Oidc {
  issuer: string
  /** Where to send the browser, with a fresh PKCE verifier, state and nonce. */
  start(): Promise<OidcStart>
  /** Exchanges the callback's code (checking state, nonce and PKCE) and returns the ID token's claims. */
  finish(
    callbackUrl: URL,
    pending: { state: string; codeVerifier: string; nonce: string },
  ): Promise<OidcClaims>
  /** Verifies a JWT access token (signature, issuer, audience, expiry) and returns its claims. */
  verifyAccessToken(token: string): Promise<OidcClaims>
}

/**
 * Sign-in through any standard OpenID Connect provider (authorization code with PKCE), using
 * openid-client for the protocol and jose for access-token verification. Discovery happens on
 * first use and is cached: it is configuration, not request state.
 */
export function createOidc(settings: OidcSettings): Oidc {
  let configuration: Promise<client.Configuration> | undefined
  const discover = () => {
    configuration ??= client
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        client.ClientSecretPost(settings.clientSecret),
        // Plain http is only for a provider on this machine (development and tests).
        settings.issuer.startsWith('http://')
          ? { execute: [client.allowInsecureRequests] }
          : undefined,
      )
      .catch((error: unknown) => {
        configuration = undefined
        throw error
      })
    return configuration
  }
  let jwks: ReturnType<typeof createRemoteJWKSet> | undefined

  return {
    issuer: settings.issuer,

    async start() {
      const config = await discover()
      const codeVerifier = client.randomPKCECodeVerifier()
      const state = client.randomState()
      const nonce = client.randomNonce()
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: 'openid profile email',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      })
      return { url, state, codeVerifier, nonce }
    },

    async finish(callbackUrl, pending) {
      const config = await discover()
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      const claims = tokens.claims()
      if (!claims) throw new Error('The identity provider returned no ID token')
      return claims as OidcClaims
    },

    async verifyAccessToken(token) {
      if (!settings.audience)
        throw new Error('JWT access tokens are not accepted: OIDC_AUDIENCE is not set')
      const config = await discover()
      const jwksUri = config.serverMetadata().jwks_uri
      if (!jwksUri) throw new Error('The identity provider publishes no jwks_uri')
      jwks ??= createRemoteJWKSet(new URL(jwksUri))
      const { payload } = await jwtVerify(token, jwks, {
        issuer: config.serverMetadata().issuer,
        audience: settings.audience,
      })
      if (typeof payload.sub !== 'string') throw new Error('The access token has no subject')
      return payload as OidcClaims
    },
  }
}
