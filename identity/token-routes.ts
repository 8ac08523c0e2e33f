import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { validate } from '../routing/index.js'
import { MAX_LENGTH, pickedName } from '../text/index.js'
import { asSubject, assertCan } from './ability.js'
import { type ApiToken, MAX_TOKEN_DAYS, TOKEN_SCOPES } from './api-token-store.js'
import type { AuthDeps } from './auth-deps.js'
import type { Caller, RouteEnv } from './caller.js'
import { actorOf } from './caller.js'

export const createTokenBody = z.object({
  name: pickedName({ max: MAX_LENGTH.name, tooShort: 'give the token a name' }),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1, 'choose at least one scope: read or write')
    .max(TOKEN_SCOPES.length),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS, `at most ${MAX_TOKEN_DAYS} days`),
})

/** Personal API tokens for scripts: create (shown once), list, revoke. Managed from a session only. */
export function tokenRoutes(deps: AuthDeps) {
  const sessionCaller = (caller: Caller | undefined) => {
    // A token must not mint or revoke tokens: that would let a leaked token outlive its revocation.
    if (caller?.via !== 'session')
      throw new HTTPException(403, {
        message: 'Manage API tokens from a signed-in browser session',
      })
    return caller
  }
  return new Hono<RouteEnv>()
    .get('/', async (c) => {
      const caller = sessionCaller(c.get('caller'))
      const tokens = await deps.tokens.listTokens(caller.user.id)
      return c.json({ ok: true as const, data: tokens.map(tokenJson) })
    })
    .post('/', validate('json', createTokenBody), async (c) => {
      const caller = sessionCaller(c.get('caller'))
      assertCan(c.get('ability'), 'create', asSubject('ApiToken', { userId: caller.user.id }))
      const body = c.req.valid('json')
      const now = deps.now()
      const { token, apiToken } = await deps.tokens.createToken(
        caller.user,
        {
          name: body.name,
          scopes: body.scopes,
          expiresAt: new Date(now.getTime() + body.expiresInDays * 86_400_000),
        },
        now,
      )
      await deps.audit.append(
        {
          actor: actorOf(caller),
          action: 'token.create',
          outcome: 'succeeded',
          subject: { type: 'ApiToken', id: apiToken.id },
          details: {
            name: apiToken.name,
            scopes: apiToken.scopes,
            expiresAt: apiToken.expiresAt.toISOString(),
          },
          requestId: c.get('requestId'),
        },
        now,
      )
      return c.json({ ok: true as const, data: { token, apiToken: tokenJson(apiToken) } }, 201)
    })
    .post('/:id/revoke', async (c) => {
      const caller = sessionCaller(c.get('caller'))
      assertCan(c.get('ability'), 'revoke', asSubject('ApiToken', { userId: caller.user.id }))
      const id = c.req.param('id')
      const revoked = await deps.tokens.revokeToken(caller.user.id, id, deps.now())
      if (!revoked) throw new HTTPException(404, { message: `You have no API token '${id}'` })
      await deps.audit.append(
        {
          actor: actorOf(caller),
          action: 'token.revoke',
          outcome: 'succeeded',
          subject: { type: 'ApiToken', id },
          requestId: c.get('requestId'),
        },
        deps.now(),
      )
      return c.json({ ok: true as const, data: tokenJson(revoked) })
    })
}

function tokenJson(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  }
}
