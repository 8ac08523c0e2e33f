import { z } from 'zod'
import { defineModule, defineRoute, errorEnvelope } from '../routing/index.js'
import { FILE_FORMATS } from './answer-formats.js'

// As long as server/bound-path.ts lets a path part be; a longer one is refused there first.
const pathPart = z.string().max(2_048)

export const openDataParam = z.strictObject({
  dataset: pathPart.describe("The dataset's slug, e.g. `postal-geocode-reference`."),
  file: pathPart.describe(
    'The version and format: `v<version>.parquet` (the published file) or `v<version>.csv`, e.g. `v1.parquet`.',
  ),
})

/** The file a path names (`v3.parquet`), or undefined when it names none. */
export function openDataFileOf(file: string) {
  const match = /^v([1-9][0-9]{0,8})\.(parquet|csv)$/.exec(file)
  return match?.[1] && match[2]
    ? { version: Number(match[1]), format: match[2] as 'parquet' | 'csv' }
    : undefined
}

export const downloadOpenData = defineRoute({
  method: 'get',
  path: '/:dataset/:file',
  access: 'public',
  summary:
    "A published version of an Official (Open) dataset as a file, without signing in: the DCAT feed's downloadURL",
  description:
    'Parquet is the published file itself (its size and SHA-256 are those the DCAT feed states), unless the dataset has direct identifiers, which leave as pseudonyms (the feed then states no size or digest); CSV is made from it. Streamed with a file name in Content-Disposition, through the same sandboxed workers and limits as signed-in extracts; all downloads without a sign-in together hold at most one person’s share of the query service (QUERY_MAX_PER_USER). Each client address may start OPEN_DATA_DOWNLOADS_PER_MINUTE a minute. Audited as an anonymous download with the client address, and counted as a download.',
  request: { params: openDataParam },
  responses: {
    200: {
      description: 'The file',
      media: [FILE_FORMATS.parquet.media, FILE_FORMATS.csv.media.split(';')[0] ?? 'text/csv'],
      headers: {
        'Content-Disposition': '`attachment; filename="<slug>-v<version>.<parquet|csv>"`',
      },
    },
    404: 'No such file: only the published versions of Official (Open) datasets, as `v<version>.parquet` or `v<version>.csv`; any other dataset answers as one that does not exist',
    422: 'Stopped by a limit (time, memory, bytes); the message names it',
    429: {
      description:
        'Too many downloads from this address a minute (OPEN_DATA_DOWNLOADS_PER_MINUTE); retry after Retry-After',
      json: errorEnvelope,
      headers: { 'Retry-After': 'Seconds to wait before trying again' },
    },
    503: {
      description:
        'Too many downloads without a sign-in at once, or the service busy: retry after Retry-After',
      json: errorEnvelope,
      headers: { 'Retry-After': 'Seconds to wait before trying again' },
    },
  },
})

/** Official (Open) data for anyone, mounted under /api/open-data before sign-in is required. */
export const OPEN_DATA_API = defineModule('/open-data', 'Open data', { downloadOpenData })
