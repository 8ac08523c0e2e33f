import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import { type RouteEnv, serve, signedInUser } from '../identity/index.js'
import { defineModule, defineRoute, errorEnvelope, ok } from '../routing/index.js'
import { ARROW_MEDIA_TYPE, EXTRACT_FORMATS, FILE_FORMATS, QUERY_FORMATS } from './answer-formats.js'
import { callerViewJson, historyItemJson } from './caller-json.js'
import { CSV_CELLS_RULE } from './csv-cells.js'
import { attachmentOf } from './download-name.js'
import type { ExtractRequest } from './extract.js'
import { QUERY_PURPOSES } from './query-history.js'
import { cancelledJson, queryAnswerJson } from './query-json.js'
import type { QueryService } from './query-service.js'
import { MAX_SQL_LENGTH } from './sql-gate.js'

export const queryBody = z.strictObject({
  sql: z
    .string()
    .min(1, 'sql: write a SELECT over your views')
    .max(MAX_SQL_LENGTH, `sql: at most ${MAX_SQL_LENGTH.toLocaleString('en')} characters`)
    .refine(
      (sql) => !sql.includes('\u0000'),
      'sql: remove the NUL character (\\u0000) from the text',
    ),
  format: z
    .enum(QUERY_FORMATS)
    .default('json')
    .describe(
      'json (rows with column names and types), csv, ndjson, arrow (IPC stream) or parquet',
    ),
  id: z
    .string()
    .max(66, { message: 'id: q_ followed by 8 to 64 letters, digits or dashes', abort: true })
    .regex(/^q_[A-Za-z0-9-]{8,64}$/, 'id: q_ followed by 8 to 64 letters, digits or dashes')
    .optional()
    .describe('Your own id for the run, so you can cancel it while it runs'),
  purpose: z
    .enum(QUERY_PURPOSES)
    .default('api')
    .describe(
      'Why it runs: `workbench` (written by a person), `preview` (a glimpse of a sample, kept out of the history of queries; dataset pages read theirs from `GET /api/datasets/:id/versions/:version/preview` and run none) or `api` (the default)',
    ),
})

export const historyQuery = z.strictObject({
  show: z
    .enum(['queries', 'previews'])
    .default('queries')
    .describe(
      '`queries`: those you ran in the workbench or through the API; `previews`: those sent with `purpose: preview`',
    ),
})

export const extractQuery = z.strictObject({
  format: z
    .enum(EXTRACT_FORMATS)
    .default('csv')
    .describe(
      'csv, parquet, arrow (IPC stream), json (NDJSON), or zip (a sample only: CSV with its de-identification report)',
    ),
})

// As long as server/bound-path.ts lets any part of a path be (MAX_LENGTH.url, of a module this
// one does not import): a longer one is refused there first, and a shorter one gets the answer
// it always got (404 for an id nobody runs or a dataset the caller may not read).
const pathPart = z.string().max(2_048)

const cancelParam = z.strictObject({
  id: pathPart.describe('The id of a running query of yours (`x-query-id`, or the `id` you sent).'),
})

const isVersionNumber = (text: string) => {
  const version = Number(text)
  return Number.isInteger(version) && version >= 1
}

export const datasetVersionParam = z.strictObject({
  id: pathPart.describe("The dataset's id (`d_` + 32 hex digits) or its slug."),
  version: pathPart
    .refine(isVersionNumber, {
      error: (issue) => `a version number such as 1, not '${String(issue.input)}'`,
    })
    .transform(Number)
    .describe('The version number, e.g. `1`.'),
})

/** A busy service: every query and download waits its turn, and is refused past a queue. */
const busy = {
  description:
    'Too many queries at once, four answers of yours still on their way, or the metadata database out of reach: retry after the seconds in Retry-After',
  json: errorEnvelope,
  headers: { 'Retry-After': 'Seconds to wait before trying again' },
}

const STOPPED_BY_A_LIMIT = 'Stopped by a limit (time, memory, bytes); the message names it'

/** The media types of file answers, as sent (a CSV or NDJSON answer adds `; charset=utf-8`). */
const FILE_MEDIA = [
  FILE_FORMATS.csv.media,
  FILE_FORMATS.ndjson.media,
  ARROW_MEDIA_TYPE,
  FILE_FORMATS.parquet.media,
].map((media) => media.split(';')[0] ?? media)

/** A query's body holds its SQL text and two short fields: read no more than this. */
const QUERY_BODY_BYTES = 4 * MAX_SQL_LENGTH + 1_000

/** Refuses a body past `maxSize` bytes before it is read whole (nor parsed). */
function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new InvalidInputError(
        `The request body is larger than ${maxSize.toLocaleString('en')} bytes: send the SQL text (at most ${MAX_SQL_LENGTH.toLocaleString('en')} characters) and its format only`,
      )
    },
  })
}

export const listViews = defineRoute({
  method: 'get',
  path: '/views',
  access: 'signed-in',
  summary:
    "The caller's views: one per dataset they may read, with columns (and which are masked) and the terms of the grant behind each",
  responses: { 200: { description: 'The views', json: ok(z.array(callerViewJson)) } },
})

export const listHistory = defineRoute({
  method: 'get',
  path: '/history',
  access: 'signed-in',
  summary:
    'Your own latest queries: text, views read, outcome, rows and bytes; sample previews apart',
  request: { query: historyQuery },
  responses: {
    200: {
      description: 'Your latest 50 queries (or previews), newest first; never anyone else’s',
      json: ok(z.array(historyItemJson)),
    },
  },
})

export const cancelQuery = defineRoute({
  method: 'post',
  path: '/:id/cancel',
  access: 'signed-in',
  summary: 'Cancel one of your running queries',
  request: { params: cancelParam },
  responses: {
    200: { description: 'Cancelled: the query answers 409', json: ok(cancelledJson) },
    404: 'No running query of yours by that id',
  },
})

export const submitQuery = defineRoute({
  method: 'post',
  path: '/',
  access: 'signed-in',
  summary: 'Run one SELECT over your views, in a worker process of its own',
  description:
    "json answers `{ id, columns: [{ name, type }], rows: [[…]], rowCount, truncated, views }` (up to the row limit and QUERY_MAX_JSON_BYTES; a larger answer is refused, naming the byte limit); csv, ndjson, arrow and parquet stream (header `x-query-id`, at most `x-row-limit` rows and QUERY_MAX_STREAM_BYTES). Your views hold only what your grants and samples show (granted columns, row filter applied, direct identifiers as your project's pseudonyms). Only a single SELECT over your views runs (CTEs, unions, subqueries fine): table functions, the engine's catalogs and settings, other schemas, files, and every other statement are refused (400 `query_refused`); a query over the time, memory or byte limit gets 422 `limit_exceeded` naming the limit; an `id` used before gets 409; a busy service answers 503 with Retry-After. A view of an aggregate-only grant (scope `aggregates`) answers only one `SELECT … GROUP BY` with count, sum and avg, as JSON, and only if every cell passes the output checks (at least SDC_MIN_COUNT people per cell and per aggregate's contributors, the p% dominance rule, no cell differing from an earlier released one by fewer than SDC_MIN_COUNT people); otherwise 400 `query_refused` naming the rule and the cells. " +
    CSV_CELLS_RULE,
  request: { body: queryBody },
  before: [limitBody(QUERY_BODY_BYTES)],
  responses: {
    200: {
      description:
        'The answer: JSON, or a file in the format asked for, streamed while the worker writes it',
      json: ok(queryAnswerJson),
      media: FILE_MEDIA,
      headers: {
        'X-Query-Id': 'The query’s id: cancel it by it, find it in your history',
        'X-Row-Limit': 'Of a file answer: the rows it holds at most (QUERY_MAX_STREAM_ROWS)',
        'Content-Disposition':
          'Of a file answer: `attachment; filename="<dataset slugs>_<Singapore time>.<extension>"`, e.g. `person-address-pa_2026-12-07T1530+0800.csv`',
      },
    },
    400: `Invalid input (the message names each bad field; a body past ${QUERY_BODY_BYTES.toLocaleString('en')} bytes), or \`query_refused\`: not one SELECT over your views, or an aggregate answer that fails its output checks (the message names the rule)`,
    409: 'The `id` sent has been used already, or the query was cancelled',
    422: STOPPED_BY_A_LIMIT,
    503: busy,
  },
})

const DOWNLOAD_DESCRIPTION = `Streamed (never held whole in memory) with a file name in Content-Disposition. Audited and counted as a download. ${CSV_CELLS_RULE}`

/** What a download may answer besides its file. */
const DOWNLOAD_REFUSALS = {
  404: 'No such version, or nothing of it for the caller',
  422: STOPPED_BY_A_LIMIT,
  503: busy,
} as const

export const downloadExtract = defineRoute({
  method: 'get',
  path: '/:id/versions/:version/extract',
  access: 'signed-in',
  summary:
    'The full data of one version as a file: Official (Open) data for everyone signed in, other data under a grant (its columns, masking and row filter apply)',
  description: DOWNLOAD_DESCRIPTION,
  request: { params: datasetVersionParam, query: extractQuery },
  responses: {
    200: {
      description: 'The file, in the format asked for',
      media: FILE_MEDIA,
      headers: {
        'Content-Disposition':
          '`attachment; filename="<slug>-v<version>.<csv|parquet|arrows|ndjson>"`',
      },
    },
    400: 'Invalid input (the message names each bad field), or `zip`, which only a sample comes as',
    ...DOWNLOAD_REFUSALS,
  },
})

export const downloadSample = defineRoute({
  method: 'get',
  path: '/:id/versions/:version/sample',
  access: 'signed-in',
  summary: 'The de-identified sample of one version as a file',
  description: DOWNLOAD_DESCRIPTION,
  request: { params: datasetVersionParam, query: extractQuery },
  responses: {
    200: {
      description:
        'The file, in the format asked for; `zip` holds the CSV beside `sample-report.json` and a `README.txt`',
      media: [...FILE_MEDIA, 'application/zip'],
      headers: {
        'Content-Disposition':
          '`attachment; filename="<slug>-v<version>-sample.<csv|parquet|arrows|ndjson|zip>"`',
      },
    },
    ...DOWNLOAD_REFUSALS,
  },
})

/** The query service's API, mounted under /api/query. */
export const QUERY_API = defineModule('/query', 'Query', {
  listViews,
  listHistory,
  cancelQuery,
  submitQuery,
})

/** Downloads of dataset versions, mounted under /api/datasets beside the catalogue. */
export const EXTRACT_API = defineModule('/datasets', 'Query', { downloadExtract, downloadSample })

const callerOf = (c: Context<RouteEnv>) => signedInUser(c, 'Sign in to run queries')

/** The query service's HTTP face, mounted under /api/query, served from its declarations. */
export const queryRoutes = (service: QueryService) =>
  new Hono<RouteEnv>()
    .route(
      '/',
      serve(listViews, async (c) => {
        const views = await service.views(callerOf(c), c.get('ability'))
        return c.json({ ok: true as const, data: views }, 200)
      }),
    )
    .route(
      '/',
      serve(listHistory, async (c) => {
        const history = await service.history(callerOf(c), c.req.valid('query').show)
        return c.json({ ok: true as const, data: history }, 200)
      }),
    )
    .route(
      '/',
      serve(cancelQuery, async (c) => {
        const { id } = c.req.valid('param')
        if (!(await service.cancel(callerOf(c), id)))
          throw new NotFoundError(`No running query '${id}' of yours`)
        return c.json({ ok: true as const, data: { cancelled: true as const } }, 200)
      }),
    )
    .route(
      '/',
      serve(submitQuery, async (c) => {
        const body = c.req.valid('json')
        const answer = await service.run(callerOf(c), c.get('ability'), body, c.get('requestId'))
        if (body.format === 'json')
          return c.body(answer.body, 200, {
            'content-type': answer.contentType,
            'x-query-id': answer.id,
            'cache-control': 'no-store',
          })
        return c.body(answer.body, 200, {
          'content-type': answer.contentType,
          'content-disposition': attachmentOf(answer.fileName),
          'x-query-id': answer.id,
          'x-row-limit': String(answer.rowLimit),
          'cache-control': 'no-store',
        })
      }),
    )

/**
 * Per dataset version, mounted under /api/datasets: `/:id/versions/:version/extract` (the full
 * data, for Official (Open) data and grants) and `/:id/versions/:version/sample`.
 */
export const extractRoutes = (service: QueryService) => {
  const send = async (c: Context<RouteEnv>, request: ExtractRequest) => {
    const extract = await service.extract(
      callerOf(c),
      c.get('ability'),
      request,
      c.get('requestId'),
    )
    return c.body(extract.body, 200, {
      'content-type': extract.contentType,
      'content-disposition': attachmentOf(extract.fileName),
      'cache-control': 'no-store',
    })
  }
  const requestOf = (
    scope: ExtractRequest['scope'],
    { id, version }: z.output<typeof datasetVersionParam>,
    { format }: z.output<typeof extractQuery>,
  ): ExtractRequest => ({ dataset: id, version, scope, format })
  return new Hono<RouteEnv>()
    .route(
      '/',
      serve(downloadExtract, (c) =>
        send(c, requestOf('full', c.req.valid('param'), c.req.valid('query'))),
      ),
    )
    .route(
      '/',
      serve(downloadSample, (c) =>
        send(c, requestOf('sample', c.req.valid('param'), c.req.valid('query'))),
      ),
    )
}
