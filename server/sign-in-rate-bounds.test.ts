import { type ServerType, serve } from '@hono/node-server'
import { afterAll, describe, expect, it } from 'vitest'
import { createRateLimiter, loadConfig } from '../core/index.js'
import { useTestPlatform } from '../testing/index.js'
import { createApp } from './app.js'
import { appDepsOf } from './runtime.js'

// Anonymous sign-in attempts, OIDC steps and refused Bearer tokens: at most so many a minute from
// one address, counted by the address a trusted proxy saw.

const platform = useTestPlatform({ backend: 'pglite', scale: 0.05 })
const servers: ServerType[] = []
// Registered after the platform's: the servers close before its runtime is disposed of.
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
})

/** The app as configured (10 a minute), served on a port of its own, at a minute of its own. */
const serveAt = async (minute: string, trustedProxies: number) => {
  const limiter = createRateLimiter(platform.runtime.db, {
    perMinute: platform.runtime.config.SIGN_IN_ATTEMPTS_PER_MINUTE,
    now: () => new Date(minute),
  })
  const app = createApp({ ...appDepsOf(platform.runtime), signInLimiter: limiter, trustedProxies })
  const server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started),
    )
  })
  servers.push(server)
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init)
}
const signIn = (user: string, forwardedFor?: string) => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
  },
  body: JSON.stringify({ user }),
})

describe('anonymous sign-in attempts, per address', () => {
  it('is 10 a minute by default', () => {
    expect(loadConfig({ DEV_SIGN_IN: 'true' }).SIGN_IN_ATTEMPTS_PER_MINUTE).toBe(10)
    expect(platform.runtime.config.SIGN_IN_ATTEMPTS_PER_MINUTE).toBe(10)
  })

  it('answers the 11th sign-in from one address in a minute with 429, whatever it claims', async () => {
    const call = await serveAt('2030-01-01T10:00:30Z', 0)
    const statuses: number[] = []
    for (let i = 0; i < 10; i++)
      // Right or wrong, each is an attempt; a forwarded address is nobody's word here.
      statuses.push(
        (
          await call(
            '/api/auth/dev/sign-in',
            signIn(i % 2 ? 'officer.moh' : 'nobody', `10.0.0.${i}`),
          )
        ).status,
      )
    expect(statuses).toEqual([400, 200, 400, 200, 400, 200, 400, 200, 400, 200])
    const eleventh = await call('/api/auth/dev/sign-in', signIn('officer.moh', '10.9.9.9'))
    expect(eleventh.status).toBe(429)
    expect(eleventh.headers.get('retry-after')).toBe('30')
    expect(await eleventh.json()).toEqual({
      ok: false,
      error: {
        code: 'rate_limited',
        message:
          'Too many sign-in attempts from your address: at most 10 a minute. Try again in 30 seconds.',
      },
    })
    // OIDC's steps are counted too, each on its own (here it is not configured: 404 until then).
    const starts: number[] = []
    for (let i = 0; i < 11; i++) starts.push((await call('/api/auth/oidc/start')).status)
    expect(starts).toEqual([...Array(10).fill(404), 429])
  })

  it('counts HEAD as the GET it is answered by', async () => {
    const call = await serveAt('2030-01-01T12:00:00Z', 0)
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push((await call('/api/auth/oidc/start', { method: 'HEAD' })).status)
    expect(statuses.at(-1)).toBe(429)
  })

  it('limits refused Bearer tokens per address, before they are looked at or audited', async () => {
    const call = await serveAt('2030-01-01T13:00:00Z', 0)
    const refusals = async () =>
      Number(
        (
          await platform.runtime.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('outcome', '=', 'denied')
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await refusals()
    const statuses: number[] = []
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await call('/api/health', { headers: { authorization: `Bearer guess-${i}` } })).status,
      )
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429])
    expect((await refusals()) - before).toBeLessThanOrEqual(10)
    // Others, and callers without a token, are not held up.
    expect((await call('/api/health')).status).toBe(200)
  })

  it('counts by the address the trusted proxy saw, when there is one', async () => {
    const call = await serveAt('2030-01-01T11:00:00Z', 1)
    for (let i = 0; i < 10; i++)
      expect(
        (await call('/api/auth/dev/sign-in', signIn('officer.moh', `1.1.1.${i}, 198.51.100.7`)))
          .status,
      ).toBe(200)
    // What the client put before the proxy's entry changes nothing.
    expect(
      (await call('/api/auth/dev/sign-in', signIn('officer.moh', '1.2.3.4, 198.51.100.7'))).status,
    ).toBe(429)
    // Another client behind the same proxy has a count of its own.
    expect(
      (await call('/api/auth/dev/sign-in', signIn('officer.moh', '198.51.100.8'))).status,
    ).toBe(200)
  })
})
