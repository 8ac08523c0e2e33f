import { Hono } from 'hono'
import { z } from 'zod'
import { ForbiddenError, NotFoundError } from '../core/index.js'
import { asSubject, type RouteEnv, serve } from '../identity/index.js'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { FEED_CONTRACTS } from './contracts/feed-contracts.js'
import {
  failedDeliveryJson,
  feedContractJson,
  toFailedDeliveryJson,
  toFeedContractJson,
} from './feed-json.js'
import type { FailedDelivery } from './runs/run-store.js'
import { operatorOf } from './trusted-centre-operators.js'

export interface FeedRouteDeps {
  /** A feed's failed ingests, with what their messages leave out. */
  failedDeliveries(feed: string, options: { limit: number }): Promise<FailedDelivery[]>
}

const failedDeliveriesQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(50)
    .describe('How many failed deliveries, newest first'),
})

// As long as server/bound-path.ts lets any part of a path be (MAX_LENGTH.url, of a module this
// one does not import): a longer one is refused there first, and a shorter one gets the answer
// it always got (404 for a feed no contract has).
const feedParam = z.strictObject({
  id: z.string().max(2_048).describe("The feed contract's id, e.g. `dos_persons`."),
})

const NO_SUCH_FEED = 'No such feed'

export const listFeeds = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Feed contracts of the Single Sources of Truth',
  responses: { 200: { description: 'Every feed contract', json: ok(z.array(feedContractJson)) } },
})

export const getFeed = defineRoute({
  method: 'get',
  path: '/:id',
  access: 'signed-in',
  summary: 'One feed contract: columns, types, value rules, delivery mode',
  request: { params: feedParam },
  responses: {
    200: { description: 'The feed contract', json: ok(feedContractJson) },
    404: NO_SUCH_FEED,
  },
})

export const listFailedDeliveries = defineRoute({
  method: 'get',
  path: '/:id/failed-deliveries',
  access: 'steward',
  summary: 'Failed deliveries of a feed, with what the file held',
  description:
    "Newest first: each failed ingest with its message (what every officer reads, in the contract's terms) and what that message withholds: `firstLine`, the first line of a file refused for its header, or `error`, the engine's own words when reading failed. Only for stewards of the agency operating the feed's Trusted Centre (e.g. DOS for TC-DoS); everyone else, administrators included, gets 403.",
  request: { params: feedParam, query: failedDeliveriesQuery },
  responses: {
    200: { description: 'The failed deliveries', json: ok(z.array(failedDeliveryJson)) },
    404: NO_SUCH_FEED,
  },
})

/** The Trusted Centres' feed API, mounted under /api/feeds. */
export const FEEDS_API = defineModule('/feeds', 'Trusted Centre', {
  listFeeds,
  getFeed,
  listFailedDeliveries,
})

const findContract = (id: string) => {
  const contract = FEED_CONTRACTS.find((f) => f.id === id)
  if (!contract) throw new NotFoundError(`Feed '${id}' not found`)
  return contract
}

/**
 * The Trusted Centres' feed contracts, as versioned data anyone signed in may read; and what
 * failed deliveries held, for the stewards of the agency operating the feed's Trusted Centre.
 */
export const feedRoutes = (deps: FeedRouteDeps) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(listFeeds, (c) =>
        c.json({ ok: true as const, data: FEED_CONTRACTS.map(toFeedContractJson) }, 200),
      ),
    )
    .route(
      '/',
      serve(getFeed, (c) =>
        c.json(
          { ok: true as const, data: toFeedContractJson(findContract(c.req.valid('param').id)) },
          200,
        ),
      ),
    )
    .route(
      '/',
      serve(listFailedDeliveries, async (c) => {
        const contract = findContract(c.req.valid('param').id)
        const agency = operatorOf(contract.trustedCentre)
        if (!c.get('ability').can('read', asSubject('RefusedDelivery', { agency })))
          throw new ForbiddenError(
            `Only stewards of ${agency}, which operates ${contract.trustedCentre}, read what its failed deliveries held`,
          )
        const failed = await deps.failedDeliveries(contract.id, c.req.valid('query'))
        return c.json({ ok: true as const, data: failed.map(toFailedDeliveryJson) }, 200)
      }),
    )
