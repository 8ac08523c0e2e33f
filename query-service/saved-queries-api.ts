import { z } from 'zod'
import { defineModule, defineRoute, errorEnvelope, ok } from '../routing/index.js'
import { queryAnswerJson } from './query-json.js'
import {
  deletedSavedQueryJson,
  runBody,
  savedQueryBody,
  savedQueryChange,
  savedQueryIdParam,
  savedQueryJson,
} from './saved-query-json.js'
import { MAX_SAVED_QUERIES_PER_PERSON } from './saved-query-service.js'

const NO_SUCH_QUERY = 'No saved query by that id (never saved, or deleted by its owner)'
const OWNER_ONLY = 'Not its owner: only the person who saved a query may change or delete it'

const SAVE_CHECKS = `The SQL must pass the SQL gate over your own views, each \`$name\` in it filled in with a sample value of its type, and each parameter be declared once with its type; otherwise 400 naming what to fix. Parameters are written \`$name\` (DuckDB's named parameters; numbered \`$1\` and \`?\` ones are refused).`

export const saveQuery = defineRoute({
  method: 'post',
  path: '/',
  access: 'signed-in',
  summary: 'Save a query with a name, a description and typed `$name` parameters (answers 201)',
  description: `${SAVE_CHECKS} One person keeps at most ${MAX_SAVED_QUERIES_PER_PERSON} saved queries. Audited as \`saved-query.create\`.`,
  request: { body: savedQueryBody },
  responses: {
    201: { description: 'The saved query', json: ok(savedQueryJson) },
    409: `You keep ${MAX_SAVED_QUERIES_PER_PERSON} saved queries already: delete one first`,
  },
})

export const listSavedQueries = defineRoute({
  method: 'get',
  path: '/',
  access: 'signed-in',
  summary: 'Your own saved queries, the latest changed first',
  responses: { 200: { description: 'Your saved queries', json: ok(z.array(savedQueryJson)) } },
})

export const getSavedQuery = defineRoute({
  method: 'get',
  path: '/:id',
  access: 'signed-in',
  summary: 'One saved query, for anyone signed in who has its link',
  description:
    'Opening a saved query shows its SQL and parameters; running it reads only what your own access shows.',
  request: { params: savedQueryIdParam },
  responses: {
    200: { description: 'The saved query', json: ok(savedQueryJson) },
    404: NO_SUCH_QUERY,
  },
})

export const updateSavedQuery = defineRoute({
  method: 'patch',
  path: '/:id',
  access: 'signed-in',
  summary: 'Change your saved query: the fields sent replace theirs',
  description: `The whole query is checked again. ${SAVE_CHECKS} Audited as \`saved-query.update\`.`,
  request: { params: savedQueryIdParam, body: savedQueryChange },
  responses: {
    200: { description: 'The saved query as changed', json: ok(savedQueryJson) },
    403: OWNER_ONLY,
    404: NO_SUCH_QUERY,
  },
})

export const deleteSavedQuery = defineRoute({
  method: 'delete',
  path: '/:id',
  access: 'signed-in',
  summary: 'Delete your saved query (its link stops working)',
  description: 'Audited as `saved-query.delete`.',
  request: { params: savedQueryIdParam },
  responses: {
    200: { description: 'Deleted', json: ok(deletedSavedQueryJson) },
    403: OWNER_ONLY,
    404: NO_SUCH_QUERY,
  },
})

export const runSavedQuery = defineRoute({
  method: 'post',
  path: '/:id/run',
  access: 'signed-in',
  summary: 'Run a saved query with your parameter values, under your own access',
  description:
    "Each value is checked against its parameter's type (and choices) and put into the SQL as a literal of that type, never as SQL text; a missing, unknown or ill-typed value is a 400 naming the parameter. The query then runs exactly as `POST /api/query` runs one, as you and not its owner: over your views (your grants' columns, row filters and masking), with the same gate, limits, history and audit. Answers JSON. Audited as `saved-query.run`, naming the run's id, beside the run's own `query.run`.",
  request: { params: savedQueryIdParam, body: runBody },
  responses: {
    200: {
      description: 'The answer, as `POST /api/query` gives it in JSON',
      json: ok(queryAnswerJson),
      headers: { 'X-Query-Id': 'The run’s id, in your query history' },
    },
    400: 'A value missing, unknown or not of its type (the message names the parameter), or `query_refused`: the query reads what your access does not show',
    404: NO_SUCH_QUERY,
    409: 'Cancelled',
    422: 'Stopped by a limit (time, memory, bytes); the message names it',
    503: {
      description: 'Too many queries at once: retry after the seconds in Retry-After',
      json: errorEnvelope,
      headers: { 'Retry-After': 'Seconds to wait before trying again' },
    },
  },
})

/** Saved queries, mounted under /api/saved-queries. */
export const SAVED_QUERIES_API = defineModule('/saved-queries', 'Query', {
  saveQuery,
  listSavedQueries,
  getSavedQuery,
  updateSavedQuery,
  deleteSavedQuery,
  runSavedQuery,
})
