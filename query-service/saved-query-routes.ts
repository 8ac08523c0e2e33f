import { type Context, Hono } from 'hono'
import type { z } from 'zod'
import { type RouteEnv, serve, signedInUser } from '../identity/index.js'
import type { queryAnswerJson } from './query-json.js'
import {
  deleteSavedQuery,
  getSavedQuery,
  listSavedQueries,
  runSavedQuery,
  saveQuery,
  updateSavedQuery,
} from './saved-queries-api.js'
import { toSavedQueryJson } from './saved-query-json.js'
import type { SavedQueries } from './saved-query-service.js'

/** Who is asking, for the saved queries: the person, what they may do, the request. */
const callerOf = (c: Context<RouteEnv>) => ({
  user: signedInUser(c, 'Sign in to save and run queries'),
  ability: c.get('ability'),
  requestId: c.get('requestId'),
})

/** Saved queries' HTTP face, mounted under /api/saved-queries, served from its declarations. */
export const savedQueryRoutes = (saved: SavedQueries) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(saveQuery, async (c) => {
        const caller = callerOf(c)
        const query = await saved.create(caller, c.req.valid('json'))
        return c.json({ ok: true as const, data: toSavedQueryJson(query, caller.user.id) }, 201)
      }),
    )
    .route(
      '/',
      serve(listSavedQueries, async (c) => {
        const { user } = callerOf(c)
        const queries = await saved.list(user)
        return c.json(
          { ok: true as const, data: queries.map((q) => toSavedQueryJson(q, user.id)) },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(getSavedQuery, async (c) => {
        const { user } = callerOf(c)
        const query = await saved.find(c.req.valid('param').id)
        return c.json({ ok: true as const, data: toSavedQueryJson(query, user.id) }, 200)
      }),
    )
    .route(
      '/',
      serve(updateSavedQuery, async (c) => {
        const caller = callerOf(c)
        const query = await saved.update(caller, c.req.valid('param').id, c.req.valid('json'))
        return c.json({ ok: true as const, data: toSavedQueryJson(query, caller.user.id) }, 200)
      }),
    )
    .route(
      '/',
      serve(deleteSavedQuery, async (c) => {
        const { id } = c.req.valid('param')
        await saved.remove(callerOf(c), id)
        return c.json({ ok: true as const, data: { id, deleted: true as const } }, 200)
      }),
    )
    .route(
      '/',
      serve(runSavedQuery, async (c) => {
        const { values } = c.req.valid('json')
        const answer = await saved.run(callerOf(c), c.req.valid('param').id, values)
        // The query path's JSON answer, bounded by QUERY_MAX_JSON_BYTES, read whole to be
        // answered as this route's declared JSON.
        const envelope = JSON.parse(await new Response(answer.body).text()) as {
          ok: true
          data: z.output<typeof queryAnswerJson>
        }
        c.header('x-query-id', answer.id)
        c.header('cache-control', 'no-store')
        return c.json(envelope, 200)
      }),
    )
