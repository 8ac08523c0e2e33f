import { z } from 'zod'
import { SAMPLE_PREVIEW_ROWS } from '../disclosure/index.js'
import { defineModule, defineRoute, ok } from '../routing/index.js'
import { datasetVersionParam } from './routes.js'

/** The first rows of a sample, as a dataset page shows them. */
export const samplePreviewJson = z.strictObject({
  columns: z.array(
    z.strictObject({
      name: z.string(),
      type: z.string().describe("DuckDB's type, e.g. `BIGINT`, `VARCHAR`"),
    }),
  ),
  rows: z
    .array(z.array(z.unknown()))
    .describe(
      'Values in column order, as the query service’s JSON answers carry them (BIGINT, DECIMAL and dates as strings, null for NULL)',
    ),
  rowCount: z.number().int().describe(`Rows in \`rows\`: at most ${SAMPLE_PREVIEW_ROWS}`),
})

export const getSamplePreview = defineRoute({
  method: 'get',
  path: '/:id/versions/:version/preview',
  access: 'signed-in',
  summary: `The first ${SAMPLE_PREVIEW_ROWS} rows of one version's de-identified sample, for whoever may download the sample`,
  description:
    'Read from the file kept beside the sample since its publication: no query runs, and no turn of the query pool is taken. Not audited as a download.',
  request: { params: datasetVersionParam },
  responses: {
    200: { description: 'The first rows of the sample', json: ok(samplePreviewJson) },
    404: 'No such version, or no sample of it for the caller',
  },
})

/** Sample previews, mounted under /api/datasets beside the catalogue and the downloads. */
export const SAMPLE_PREVIEW_API = defineModule('/datasets', 'Query', { getSamplePreview })
