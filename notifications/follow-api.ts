import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { DATASET_EVENT_KINDS } from './dataset-notices.js'

const time = z.iso.datetime().describe('ISO 8601 time')

export const followedDatasetParam = z.strictObject({
  // As long as any path part may be (server/bound-path.ts): an unknown dataset is a 404.
  id: z
    .string()
    .max(MAX_LENGTH.url)
    .describe("The dataset's id (`d_` + 32 hex digits) or its slug."),
})

const datasetRefJson = z.strictObject({
  id: z.string().describe('`d_` + 32 hex digits'),
  slug: z.string(),
  title: z.string(),
})

/** Whether the caller follows a dataset now, and since when. */
export const followStateJson = z.strictObject({
  dataset: datasetRefJson,
  following: z.boolean(),
  followedAt: time.nullable().describe('null: not following'),
})

/** A dataset the caller follows, as their home page lists it. */
export const followJson = z.strictObject({
  dataset: datasetRefJson.extend({ agency: z.string() }),
  currentVersion: z.number().int().nullable().describe('null: no version published yet'),
  deprecated: z.boolean(),
  followedAt: time,
  lastEvent: z
    .strictObject({
      kind: z.enum(DATASET_EVENT_KINDS),
      title: z.string().describe('What happened, in words'),
      link: z.string().describe('Where in the portal to read more'),
      at: time,
    })
    .nullable()
    .describe('null: nothing has happened since anyone followed it'),
})

const NOT_DISCOVERABLE = 'No such dataset, or the caller may not discover it'

export const followDataset = defineRoute({
  method: 'put',
  path: '/:id/follow',
  access: 'signed-in',
  summary: 'Follow a dataset: hear of its new versions, schema changes, failed checks, deprecation',
  description:
    "Notices go to the caller's inbox for as long as they may discover the dataset. Following again changes nothing.",
  request: { params: followedDatasetParam },
  responses: {
    200: { description: 'Following', json: ok(followStateJson) },
    404: NOT_DISCOVERABLE,
  },
})

export const unfollowDataset = defineRoute({
  method: 'delete',
  path: '/:id/follow',
  access: 'signed-in',
  summary: 'Stop following a dataset',
  request: { params: followedDatasetParam },
  responses: {
    200: { description: 'Not following', json: ok(followStateJson) },
    404: NOT_DISCOVERABLE,
  },
})

/** Following a dataset, mounted under /api/datasets. */
export const FOLLOW_API = defineModule('/datasets', 'Following', { followDataset, unfollowDataset })

export const listFollowsRoute = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'The datasets the caller follows, with their current version and last event',
  description:
    'Newest follow first, at most 200. A followed dataset the caller may no longer discover is left out.',
  responses: { 200: { description: 'The followed datasets', json: ok(z.array(followJson)) } },
})

/** The caller's followed datasets, mounted under /api/follows. */
export const FOLLOWS_API = defineModule('/follows', 'Following', { listFollows: listFollowsRoute })
