import { z } from 'zod'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { MAX_LENGTH } from '../text/index.js'
import { datasetKeyParam } from './catalog-api.js'
import { deprecationJson } from './dataset-json.js'

export const deprecationBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(10, 'say in at least 10 characters why the dataset is deprecated')
    .max(MAX_LENGTH.justification),
  successor: z
    .string()
    .max(MAX_LENGTH.slug)
    .nullable()
    .optional()
    .describe('The id or slug of the dataset to use instead, one the caller may discover'),
})

const answer = z.strictObject({
  deprecation: deprecationJson.nullable().describe('null: not deprecated'),
})

const NOT_DISCOVERABLE = 'No such dataset, or the caller may not discover it'

export const deprecateDataset = defineRoute({
  method: 'put',
  path: '/:id/deprecation',
  access: 'steward',
  summary: 'Mark a dataset deprecated, saying why and what succeeds it (its stewards)',
  description:
    "Recorded in the dataset's history (field `deprecation`) and audited as `dataset.deprecate`. Its followers hear of it, and its agency's webhooks receive `dataset.deprecated`, the first time only; sending it again changes the reason or successor.",
  request: { params: datasetKeyParam, body: deprecationBody },
  responses: {
    200: { description: 'The deprecation as it now is', json: ok(answer) },
    404: NOT_DISCOVERABLE,
  },
})

export const undeprecateDataset = defineRoute({
  method: 'delete',
  path: '/:id/deprecation',
  access: 'steward',
  summary: 'Withdraw a deprecation (its stewards)',
  description: "Recorded in the dataset's history and audited as `dataset.undeprecate`.",
  request: { params: datasetKeyParam },
  responses: {
    200: { description: 'No longer deprecated', json: ok(answer) },
    404: NOT_DISCOVERABLE,
  },
})

/** Stewards deprecating their datasets, mounted under /api/datasets. */
export const DEPRECATION_API = defineModule('/datasets', 'Catalogue', {
  deprecateDataset,
  undeprecateDataset,
})
