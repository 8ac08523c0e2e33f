import { z } from 'zod'
import type { SchemaDiff, VersionProfile } from './column-profiles.js'
import { PERSONAL_DATA_KINDS } from './dataset.js'

const personalData = z.enum(PERSONAL_DATA_KINDS)

/** One column's profile as the API sends it: every value as text, counts as numbers. */
export const columnProfileJson = z.strictObject({
  name: z.string(),
  type: z.string().describe('DuckDB type of the column in this version'),
  personalData: personalData.describe("The column's personal-data label when it was profiled"),
  rows: z.number().int(),
  nulls: z.number().int(),
  distinct: z.number().int().describe('Distinct values, counted over the whole version'),
  disclosure: z
    .enum([
      'as-published',
      'sample-level',
      'direct-identifier',
      'hidden-in-sample',
      'no-sample',
      'label-changed',
      'older-version',
    ])
    .describe(
      'What may be shown of its values: as published, at the sample level, or only counts (a direct identifier; hidden at the sample level; a dataset about people whose version has no sample; a column relabelled since it was profiled; an older version of a dataset about people, whose values are shown only for the current version)',
    ),
  level: z
    .string()
    .nullable()
    .describe(
      "The sample's level the values are shown at (e.g. `planning area`); null as published",
    ),
  rules: z.array(z.string()).describe('The disclosure rules applied, in words'),
  min: z
    .string()
    .nullable()
    .describe('Smallest value shown (in a dataset about people, one at least k rows carry)'),
  max: z.string().nullable(),
  topValues: z
    .array(z.strictObject({ value: z.string(), rows: z.number().int() }))
    .describe('Up to five most frequent values, each carried by at least k rows'),
  rareRows: z
    .number()
    .int()
    .describe(
      'Rows whose value fewer than k rows carry (never shown), with the next smallest value when they are fewer than k',
    ),
  histogram: z
    .array(
      z.strictObject({
        label: z.string(),
        rows: z
          .number()
          .int()
          .nullable()
          .describe(
            'null: withheld (fewer than k rows, or the next smallest beside such a bar, so none can be worked out by subtraction)',
          ),
      }),
    )
    .nullable()
    .describe('Numeric and date columns only'),
})

/** A version's column profiles. */
export const versionProfilesJson = z.strictObject({
  version: z.number().int(),
  k: z.number().int().describe('No value fewer than k rows carry is shown'),
  computedAt: z.iso.datetime(),
  columns: z.array(columnProfileJson),
})

const diffColumn = z.strictObject({
  name: z.string(),
  type: z.string(),
  personalData: personalData.nullable().describe('null when the version was never profiled'),
})

/** Columns added, removed, retyped and relabelled between two versions. */
export const schemaDiffJson = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  added: z.array(diffColumn),
  removed: z.array(diffColumn),
  typeChanged: z.array(z.strictObject({ name: z.string(), from: z.string(), to: z.string() })),
  personalDataChanged: z.array(
    z.strictObject({ name: z.string(), from: personalData, to: personalData }),
  ),
})

export function toVersionProfilesJson(
  profile: VersionProfile,
): z.output<typeof versionProfilesJson> {
  return {
    version: profile.version,
    k: profile.k,
    computedAt: profile.computedAt.toISOString(),
    columns: profile.columns,
  }
}

export const toSchemaDiffJson = (diff: SchemaDiff): z.output<typeof schemaDiffJson> => diff
