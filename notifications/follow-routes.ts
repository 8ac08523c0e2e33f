import { Hono } from 'hono'
import type { Kysely } from 'kysely'
import { type AppAbility, type RouteEnv, serve, signedInUser } from '../identity/index.js'
import { follow, listFollows, unfollow } from './dataset-follows.js'
import { followDataset, listFollowsRoute, unfollowDataset } from './follow-api.js'
import type { NotificationTables } from './notification-tables.js'

/** A dataset as following needs it: found by the catalogue, only if the caller may discover it. */
export interface FollowableDataset {
  id: string
  slug: string
  title: string
  agency: string
  currentVersion: { version: number } | undefined
  deprecation?: unknown
}

export interface FollowRouteDeps {
  db: Kysely<NotificationTables>
  now: () => Date
  /** The dataset a path names by id or slug; throws the catalogue's 404 unless discoverable. */
  findDataset: (key: string, ability: AppAbility) => Promise<FollowableDataset>
  /** The dataset of that id, if the caller may discover it. */
  findById: (id: string, ability: AppAbility) => Promise<FollowableDataset | undefined>
}

/** Following datasets: PUT and DELETE under /api/datasets. */
export const followRoutes = (deps: FollowRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(followDataset, async (c) => {
        const user = signedInUser(c, 'Sign in to follow a dataset')
        const dataset = await deps.findDataset(c.req.valid('param').id, c.get('ability'))
        const since = await follow(deps.db, user.id, dataset.id, deps.now())
        return c.json(
          {
            ok: true as const,
            data: { dataset: refOf(dataset), following: true, followedAt: since.toISOString() },
          },
          200,
        )
      }),
    )
    .route(
      '/',
      serve(unfollowDataset, async (c) => {
        const user = signedInUser(c, 'Sign in to follow a dataset')
        const dataset = await deps.findDataset(c.req.valid('param').id, c.get('ability'))
        await unfollow(deps.db, user.id, dataset.id)
        return c.json(
          {
            ok: true as const,
            data: { dataset: refOf(dataset), following: false, followedAt: null },
          },
          200,
        )
      }),
    )

/** The caller's followed datasets, under /api/follows. */
export const followsRoutes = (deps: FollowRouteDeps) =>
  new Hono<RouteEnv>().route(
    '/',
    serve(listFollowsRoute, async (c) => {
      const user = signedInUser(c, 'Sign in to see what you follow')
      const ability = c.get('ability')
      const follows = await listFollows(deps.db, user.id)
      const datasets = await Promise.all(follows.map((f) => deps.findById(f.datasetId, ability)))
      const data = follows.flatMap((f, i) => {
        const dataset = datasets[i]
        // One the caller may no longer discover is not theirs to see, nor its news.
        if (!dataset) return []
        return [
          {
            dataset: { ...refOf(dataset), agency: dataset.agency },
            currentVersion: dataset.currentVersion?.version ?? null,
            deprecated: dataset.deprecation !== undefined,
            followedAt: f.followedAt.toISOString(),
            lastEvent: f.lastEvent && {
              kind: f.lastEvent.kind,
              title: f.lastEvent.title,
              link: f.lastEvent.link,
              at: f.lastEvent.at.toISOString(),
            },
          },
        ]
      })
      return c.json({ ok: true as const, data }, 200)
    }),
  )

function refOf(dataset: FollowableDataset) {
  return { id: dataset.id, slug: dataset.slug, title: dataset.title }
}
