import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH, pickedName } from '../text/index.js'
import { asSubject, assertCan } from './ability.js'
import { MAX_TOKEN_DAYS, TOKEN_SCOPES } from './api-token-store.js'
import type { AuthDeps } from './auth-deps.js'
import type { Caller, RouteEnv } from './caller.js'
import { actorOf, serve } from './caller.js'
import { apiTokenJson, createdTokenJson, toApiTokenJson } from './token-json.js'

export const createTokenBody = z.object({
  name: pickedName({ max: MAX_LENGTH.name, tooShort: 'give the token a name' }),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1, 'choose at least one scope: read or write')
    .max(TOKEN_SCOPES.length),
  expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS, `at most ${MAX_TOKEN_DAYS} days`),
})

export const tokenIdParam = z.strictObject({
  // As long as any path part may be (server/bound-path.ts): an unknown id is a 404, not a 400.
  id: z.string().max(MAX_LENGTH.url).describe("The token's id, as listed by `GET /api/tokens`."),
})

const FROM_A_SESSION = 'Called with an API token: tokens are managed from a browser session only'

export const listTokens = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: "The caller's API tokens (never their secrets)",
  responses: {
    200: {
      description: 'The tokens, revoked and expired ones too',
      json: ok(z.array(apiTokenJson)),
    },
    403: FROM_A_SESSION,
  },
})

export const createToken = defineRoute({
  method: 'post',
  path: '/',
  access: 'signed-in',
  summary: 'Create an API token; its secret is shown once, in this answer',
  description:
    'Audited as `token.create`. Managed from a browser session only: a token cannot mint tokens.',
  request: { body: createTokenBody },
  responses: {
    201: { description: 'The token, with its secret (shown once)', json: ok(createdTokenJson) },
  },
})

export const revokeToken = defineRoute({
  method: 'post',
  path: '/:id/revoke',
  access: 'signed-in',
  summary: 'Revoke one of your API tokens',
  description: 'Audited as `token.revoke`. Managed from a browser session only.',
  request: { params: tokenIdParam },
  responses: {
    200: { description: 'The token, revoked', json: ok(apiTokenJson) },
    404: 'No such token of yours',
  },
})

/** Personal API tokens, mounted under /api/tokens. */
export const TOKENS_API = defineModule('/tokens', 'API tokens', {
  listTokens,
  createToken,
  revokeToken,
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
    .route(
      '/',
      serve(listTokens, async (c) => {
        const caller = sessionCaller(c.get('caller'))
        const tokens = await deps.tokens.listTokens(caller.user.id)
        return c.json({ ok: true as const, data: tokens.map(toApiTokenJson) }, 200)
      }),
    )
    .route(
      '/',
      serve(createToken, async (c) => {
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
        return c.json(
          { ok: true as const, data: { token, apiToken: toApiTokenJson(apiToken) } },
          201,
        )
      }),
    )
    .route(
      '/',
      serve(revokeToken, async (c) => {
        const caller = sessionCaller(c.get('caller'))
        assertCan(c.get('ability'), 'revoke', asSubject('ApiToken', { userId: caller.user.id }))
        const { id } = c.req.valid('param')
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
        return c.json({ ok: true as const, data: toApiTokenJson(revoked) }, 200)
      }),
    )
}
