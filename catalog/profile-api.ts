import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { schemaDiffJson, versionProfilesJson } from './profile-json.js'

// As long as server/bound-path.ts lets any part of a path be (see catalog-api.ts).
const pathPart = z.string().max(MAX_LENGTH.url)
const isVersionNumber = (text: string) => {
  const version = Number(text)
  return Number.isInteger(version) && version >= 1
}
const versionNumber = (what: string) =>
  pathPart
    .refine(isVersionNumber, {
      error: (issue) => `${what}: a version number such as 1, not '${String(issue.input)}'`,
    })
    .transform(Number)

export const datasetVersionParams = z.strictObject({
  id: pathPart.describe("The dataset's id (`d_` + 32 hex digits) or its slug."),
  version: versionNumber('version').describe('The version number, e.g. `1`.'),
})

export const schemaDiffQuery = z.strictObject({
  from: versionNumber('from').describe('The earlier version, e.g. `1`'),
  to: versionNumber('to').describe('The later version, e.g. `2`'),
})

const NOT_DISCOVERABLE = 'No such dataset or version, or the caller may not discover the dataset'

export const getVersionProfiles = defineRoute({
  method: 'get',
  path: '/:id/versions/:version/profiles',
  access: 'signed-in',
  summary: "One version's column profiles, under the sample's disclosure rules",
  description:
    'Per column: type, rows, nulls, distinct values, smallest and largest, top values and a histogram (numeric and date columns). No value fewer than k rows carry is shown; direct identifiers show only nulls and distinct counts; quasi-identifiers are shown at the level the version’s sample used. `rules` says which rules applied to each column. Readable by whoever may discover the dataset.',
  request: { params: datasetVersionParams },
  responses: {
    200: { description: 'The profiles, in column order', json: ok(versionProfilesJson) },
    400: 'The dataset key or the version number is malformed',
    404: NOT_DISCOVERABLE,
  },
})

export const getSchemaDiff = defineRoute({
  method: 'get',
  path: '/:id/schema-diff',
  access: 'signed-in',
  summary: 'Columns added, removed, retyped or relabelled between two versions',
  request: {
    params: z.strictObject({ id: datasetVersionParams.shape.id }),
    query: schemaDiffQuery,
  },
  responses: {
    200: { description: 'The difference from `from` to `to`', json: ok(schemaDiffJson) },
    400: 'The dataset key is malformed, or `from` or `to` is missing or not a version number',
    404: NOT_DISCOVERABLE,
  },
})

/** Column profiles and schema differences of a dataset's versions, under /api/datasets. */
export const PROFILE_API = defineModule('/datasets', 'Catalogue', {
  getVersionProfiles,
  getSchemaDiff,
})
