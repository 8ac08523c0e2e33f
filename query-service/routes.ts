import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import type { RouteEnv } from '../identity/index.js'
import { signedInUser } from '../identity/index.js'
import { validate } from '../routing/index.js'
import { EXTRACT_FORMATS, FILE_FORMATS, QUERY_FORMATS } from './answer-formats.js'
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
})

const callerOf = (c: Context<RouteEnv>) => signedInUser(c, 'Sign in to run queries')

/** A query's body holds its SQL text and two short fields: read no more than this. */
const QUERY_BODY_BYTES = 4 * MAX_SQL_LENGTH + 1_000

/** Refuses a body past `maxSize` bytes before it is read whole (nor parsed). */
const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new InvalidInputError(
        `The request body is larger than ${maxSize.toLocaleString('en')} bytes: send the SQL text (at most ${MAX_SQL_LENGTH.toLocaleString('en')} characters) and its format only`,
      )
    },
  })

/** The query service's HTTP face, mounted under /api/query. */
export const queryRoutes = (service: QueryService) =>
  new Hono<RouteEnv>()
    .get('/views', async (c) => {
      const views = await service.views(callerOf(c), c.get('ability'))
      return c.json({ ok: true as const, data: views })
    })
    .get('/history', async (c) => {
      const history = await service.history(callerOf(c))
      return c.json({ ok: true as const, data: history })
    })
    .post('/:id/cancel', async (c) => {
      if (!(await service.cancel(callerOf(c), c.req.param('id'))))
        throw new NotFoundError(`No running query '${c.req.param('id')}' of yours`)
      return c.json({ ok: true as const, data: { cancelled: true } })
    })
    .post('/', limitBody(QUERY_BODY_BYTES), validate('json', queryBody), async (c) => {
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
        'content-disposition': `attachment; filename="${answer.id}.${FILE_FORMATS[body.format].extension}"`,
        'x-query-id': answer.id,
        'x-row-limit': String(answer.rowLimit),
        'cache-control': 'no-store',
      })
    })

export const extractQuery = z.strictObject({
  format: z
    .enum(EXTRACT_FORMATS)
    .default('csv')
    .describe(
      'csv, parquet, arrow (IPC stream), json (NDJSON), or zip (a sample only: CSV with its de-identification report)',
    ),
})

/**
 * Per dataset version, mounted under /api/datasets: `/:id/versions/:version/extract` (the full
 * data, for Official (Open) data and grants) and `/:id/versions/:version/sample`.
 */
export const extractRoutes = (service: QueryService) => {
  const download = (scope: 'full' | 'sample') => async (c: Context<RouteEnv>) => {
    const version = Number(c.req.param('version'))
    if (!Number.isInteger(version) || version < 1)
      throw new InvalidInputError(
        `version: a version number such as 1, not '${c.req.param('version')}'`,
      )
    const { format } = extractQuery.parse(c.req.query())
    const extract = await service.extract(
      callerOf(c),
      c.get('ability'),
      { dataset: c.req.param('id') ?? '', version, scope, format },
      c.get('requestId'),
    )
    return c.body(extract.body, 200, {
      'content-type': extract.contentType,
      'content-disposition': `attachment; filename="${extract.fileName}"`,
      'cache-control': 'no-store',
    })
  }
  return new Hono<RouteEnv>()
    .get('/:id/versions/:version/extract', download('full'))
    .get('/:id/versions/:version/sample', download('sample'))
}
