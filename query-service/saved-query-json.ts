import { z } from 'zod'
import type { SavedQuery } from './saved-queries.js'
import { PARAMETER_NAME, PARAMETER_TYPES } from './saved-query-parameters.js'
import { MAX_SQL_LENGTH } from './sql-gate.js'

// Bounds as text/'s MAX_LENGTH gives them (a module this one does not import): a title for the
// name, a justification for the description, a row filter's value for a parameter's value.
const NAME_LENGTH = 200
const DESCRIPTION_LENGTH = 2_000
const VALUE_LENGTH = 1_000
const PARAMETER_NAME_LENGTH = 64
/** Parameters of one saved query, and choices of one parameter, at most. */
export const MAX_PARAMETERS = 20
const MAX_CHOICES = 50

const time = z.iso.datetime().describe('ISO 8601 time')

const parameterName = z
  .string()
  .max(PARAMETER_NAME_LENGTH, `at most ${PARAMETER_NAME_LENGTH} characters`)
  .regex(PARAMETER_NAME, 'a letter or _ first, then letters, digits or _ (as in $region)')

const parameterBody = z.strictObject({
  name: parameterName.describe('As written in the SQL after `$`, e.g. `region` for `$region`'),
  type: z
    .enum(PARAMETER_TYPES)
    .describe('text, integer, number or date (YYYY-MM-DD); a value of another type is refused'),
  choices: z
    .array(z.string().min(1, 'a choice cannot be empty').max(VALUE_LENGTH))
    .min(1, 'give at least one choice, or null for any value')
    .max(MAX_CHOICES, `at most ${MAX_CHOICES} choices`)
    .nullable()
    .default(null)
    .describe('The only values it may take (each of its type); null or left out: any'),
})

const savedQueryFields = {
  name: z
    .string()
    .trim()
    .min(1, 'give the query a name')
    .max(NAME_LENGTH, `at most ${NAME_LENGTH} characters`),
  description: z
    .string()
    .trim()
    .max(DESCRIPTION_LENGTH, `at most ${DESCRIPTION_LENGTH.toLocaleString('en')} characters`)
    .nullable()
    .transform((text) => (text === '' ? null : text)),
  sql: z
    .string()
    .min(1, 'write a SELECT over your views')
    .max(MAX_SQL_LENGTH, `at most ${MAX_SQL_LENGTH.toLocaleString('en')} characters`)
    .describe('One SELECT over your views; `$name` marks a parameter'),
  parameters: z
    .array(parameterBody)
    .max(MAX_PARAMETERS, `at most ${MAX_PARAMETERS}`)
    .describe('One for each `$name` of the SQL, with its type'),
}

/** A new saved query. */
export const savedQueryBody = z.strictObject({
  ...savedQueryFields,
  description: savedQueryFields.description.default(null),
  parameters: savedQueryFields.parameters.default([]),
})

/** A change to a saved query: the fields sent replace theirs; the whole is checked again. */
export const savedQueryChange = z
  .strictObject({
    name: savedQueryFields.name.optional(),
    description: savedQueryFields.description.optional(),
    sql: savedQueryFields.sql.optional(),
    parameters: savedQueryFields.parameters.optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'send at least one field to change')

/** The values of one run, by parameter name. */
export const runBody = z.strictObject({
  values: z
    .record(
      z.string().max(PARAMETER_NAME_LENGTH),
      z.union([z.string().max(VALUE_LENGTH, `at most ${VALUE_LENGTH} characters`), z.number()]),
    )
    .refine((values) => Object.keys(values).length <= MAX_PARAMETERS, {
      message: `at most ${MAX_PARAMETERS}`,
    })
    .meta({ maxProperties: MAX_PARAMETERS })
    .default({})
    .describe('One value per parameter, by name: `{ "region": "CR", "from": "2026-01-01" }`'),
})

// As long as server/bound-path.ts lets any part of a path be: a longer one is refused there.
export const savedQueryIdParam = z.strictObject({
  id: z.string().max(2_048).describe("The saved query's id: `sq_` + 32 hex digits"),
})

/** A saved query as its owner and whoever opens its link read it. */
export const savedQueryJson = z.strictObject({
  id: z.string().describe('`sq_` + 32 hex digits; the portal opens it at /queries/<id>'),
  name: z.string(),
  description: z.string().nullable(),
  sql: z.string().describe('Its SQL, `$name` marking each parameter'),
  parameters: z.array(
    z.strictObject({
      name: z.string(),
      type: z.enum(PARAMETER_TYPES),
      choices: z.array(z.string()).nullable(),
    }),
  ),
  owner: z.strictObject({ id: z.string(), name: z.string() }),
  mine: z.boolean().describe('Whether the caller owns it (and so may change or delete it)'),
  createdAt: time,
  updatedAt: time,
})

export const deletedSavedQueryJson = z.strictObject({ id: z.string(), deleted: z.literal(true) })

/** A saved query as JSON, for the caller who reads it. */
export const toSavedQueryJson = (query: SavedQuery, callerId: string) => ({
  id: query.id,
  name: query.name,
  description: query.description,
  sql: query.sql,
  parameters: query.parameters,
  owner: query.owner,
  mine: query.owner.id === callerId,
  createdAt: query.createdAt.toISOString(),
  updatedAt: query.updatedAt.toISOString(),
})
