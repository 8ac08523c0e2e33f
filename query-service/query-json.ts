import { z } from 'zod'

/** The shapes the query service answers with, as JSON (times are ISO 8601 strings). */

const time = z.iso.datetime().describe('ISO 8601 time')

const filterValue = z.union([z.string(), z.number()])

/** A condition of a grant's row filter: one column compared with values. */
const rowConditionJson = z.discriminatedUnion('op', [
  z.strictObject({
    column: z.string(),
    op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']),
    value: filterValue,
  }),
  z.strictObject({ column: z.string(), op: z.literal('in'), values: z.array(filterValue) }),
])

/** One of the caller's views: what it reads, on what basis, until when, and its columns. */
export const viewJson = z.strictObject({
  name: z
    .string()
    .describe(
      "The view's name in SQL: the dataset's slug (`person_address_pa`), `…_sample` for its sample, `…_2` for a second grant",
    ),
  dataset: z.strictObject({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    agency: z.string(),
  }),
  scope: z
    .enum(['full', 'sample', 'aggregates'])
    .describe('`aggregates`: read only through output-checked aggregate queries'),
  basis: z.enum(['open-data', 'grant', 'sample']),
  version: z.number().int().nullable().describe('The newest version it reads'),
  expiresAt: time.nullable().describe("When the grant behind it ends; null: it doesn't"),
  rowFilter: z.array(rowConditionJson).describe('Every condition holds for each row it shows'),
  columns: z.array(
    z.strictObject({
      name: z.string(),
      type: z.string().describe("DuckDB's type, e.g. `VARCHAR`"),
      masked: z.boolean().describe('A direct identifier shown as a pseudonym'),
    }),
  ),
})

/** One query of the caller's history. */
export const historyEntryJson = z.strictObject({
  id: z.string(),
  sql: z.string(),
  format: z.string().describe('The format asked for: json, csv, ndjson, arrow or parquet'),
  views: z.array(z.string()).describe('The views it read'),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  error: z.string().nullable().describe('Why it failed or was cancelled; null otherwise'),
  rows: z
    .number()
    .int()
    .nullable()
    .describe('Rows sent; null while it runs or when it ended before sending any'),
  bytes: z
    .number()
    .int()
    .nullable()
    .describe('Bytes sent; null while it runs or when it ended before sending any'),
  startedAt: time,
  finishedAt: time.nullable().describe('null while it runs'),
})

export const cancelledJson = z.strictObject({ cancelled: z.literal(true) })

/** A query's answer as JSON: its columns with their types, and its rows as lists of values. */
export const queryAnswerJson = z.strictObject({
  id: z.string().describe('The query’s id (also in `x-query-id`)'),
  columns: z.array(
    z.strictObject({
      name: z.string(),
      type: z.string().describe("DuckDB's type, e.g. `BIGINT`, `DECIMAL(18,2)`, `VARCHAR[]`"),
    }),
  ),
  rows: z
    .array(z.array(z.unknown()))
    .describe(
      'Values in column order, exact: numbers for integers up to INTEGER and for floats (NaN and infinities as strings), strings for BIGINT, HUGEINT, DECIMAL, dates, times, UUIDs and text, lists for lists and arrays, objects for structs, `[{ key, value }]` for maps, null for NULL',
    ),
  rowCount: z.number().int().describe('Rows in `rows`'),
  truncated: z.boolean().describe('Cut at the row limit (QUERY_MAX_ROWS)'),
  views: z.array(z.string()).describe('The views it read'),
  notes: z
    .array(z.string())
    .describe(
      "What to know about the grants it read: a filter of the query's that a grant's row filter leaves no rows for, or, when it found no rows, each grant's row filter. Empty when there is nothing to say",
    ),
})
