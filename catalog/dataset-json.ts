import { z } from 'zod'
import {
  classificationLabel,
  type Dataset,
  type DatasetDetail,
  type DatasetVersion,
  type Deprecation,
  PERSONAL_DATA_KINDS,
  SECURITY_CLASSIFICATIONS,
  SENSITIVITIES,
} from './dataset.js'
import type { DatasetOwner } from './dataset-owner.js'
import type { MetadataChange } from './metadata-edit.js'

/** A dataset as the catalogue API sends it (times are ISO 8601 strings), and how it is made. */

const time = z.iso.datetime().describe('ISO 8601 time')

const qualityJson = z.strictObject({
  checked: z.number().int(),
  passed: z.number().int(),
  blockingFailures: z.number().int(),
  warnings: z.number().int(),
  results: z.array(
    z.strictObject({
      name: z.string(),
      kind: z.string(),
      severity: z.enum(['blocking', 'warning']),
      passed: z.boolean(),
      observed: z
        .number()
        .describe('What was measured: violating rows, a share, or an age in days'),
      expected: z.string(),
    }),
  ),
})

const sampleJson = z.discriminatedUnion('status', [
  z.strictObject({
    status: z.literal('published'),
    rowCount: z.number().int(),
    k: z.number().int(),
    details: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    status: z.literal('refused'),
    k: z.number().int(),
    reason: z.string().describe('Why no sample could be published'),
  }),
])

/** Why and since when a dataset is deprecated, and what succeeds it. */
export const deprecationJson = z.strictObject({
  at: time,
  reason: z.string(),
  successor: z
    .strictObject({ id: z.string(), slug: z.string(), title: z.string() })
    .nullable()
    .describe('The dataset to use instead; null: none named, or not one the caller may discover'),
})

/** One immutable published version, with its quality record and de-identified sample. */
export const versionJson = z.strictObject({
  version: z.number().int(),
  rowCount: z.number().int(),
  byteSize: z.number().int(),
  contentSha256: z.string(),
  quality: qualityJson.nullable().describe('null: published without quality checks'),
  sample: sampleJson.nullable().describe('null: no sample made for this version'),
  createdAt: time,
})

const columnJson = z.strictObject({
  name: z.string(),
  type: z.string(),
  description: z.string(),
  personalData: z.enum(PERSONAL_DATA_KINDS),
  personalDataReason: z
    .string()
    .nullable()
    .describe('Why a steward labelled the column so; null when no steward did'),
  isCoreField: z.boolean(),
  authoritySsot: z.string().nullable().describe('The SSOT that is the authority of a core field'),
})

const datasetFields = z.strictObject({
  id: z.string().describe('`d_` + 32 hex digits'),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  agency: z.string(),
  trustedCentre: z.string(),
  sourceSsots: z.array(z.string()),
  classification: z.strictObject({
    security: z.enum(SECURITY_CLASSIFICATIONS),
    sensitivity: z.enum(SENSITIVITIES),
    label: z.string().describe('e.g. `Restricted / Sensitive Normal`'),
  }),
  updateFrequency: z.string(),
  themes: z.array(z.string()),
  tags: z.array(z.string()),
  coverage: z.strictObject({ start: z.iso.date().nullable(), end: z.iso.date().nullable() }),
  licence: z.string(),
  contactEmail: z.string(),
  sampleKeep: z
    .record(z.string(), z.string())
    .describe("Levels samples keep where k allows, by hierarchy ('geography' or a column)"),
  columns: z.array(columnJson),
  currentVersion: versionJson.nullable(),
  deprecation: deprecationJson.nullable().describe('null: not deprecated'),
  createdAt: time,
  updatedAt: time,
})

/** A dataset as lists show it: metadata, columns and current version. */
export const datasetJson = datasetFields.meta({ id: 'Dataset' })

/** A dataset page: the dataset, every version (newest first) and its columns' glossary terms. */
export const datasetDetailJson = datasetFields
  .extend({
    versions: z.array(versionJson),
    agencyName: z.string().nullable().describe("The owning agency's name; null: not on the roster"),
    stewards: z
      .array(z.strictObject({ name: z.string(), email: z.string() }))
      .describe("The owning agency's data stewards, whom to ask about the dataset"),
    glossary: z
      .record(z.string(), z.array(z.strictObject({ term: z.string(), definition: z.string() })))
      .describe('Glossary terms by column name'),
  })
  .meta({ id: 'DatasetDetail' })

/** One recorded metadata change: which field, from what, to what, by whom. */
export const changeJson = z.strictObject({
  field: z.string().describe('e.g. `tags` or `columns.age_band.description`'),
  oldValue: z.unknown().describe('The value before, as JSON'),
  newValue: z.unknown().describe('The value after, as JSON'),
  actor: z.string(),
  changedAt: time,
})

/** An edit's answer: the dataset as it now is, and what changed. */
export const metadataEditJson = z.strictObject({
  dataset: datasetDetailJson,
  changes: z.array(changeJson),
})

export function toDatasetJson(dataset: Dataset): z.output<typeof datasetJson> {
  return {
    id: dataset.id,
    slug: dataset.slug,
    title: dataset.title,
    description: dataset.description,
    agency: dataset.agency,
    trustedCentre: dataset.trustedCentre,
    sourceSsots: dataset.sourceSsots,
    classification: {
      ...dataset.classification,
      label: classificationLabel(dataset.classification),
    },
    updateFrequency: dataset.updateFrequency,
    themes: dataset.themes,
    tags: dataset.tags,
    coverage: { start: dataset.coverage.start ?? null, end: dataset.coverage.end ?? null },
    licence: dataset.licence,
    contactEmail: dataset.contactEmail,
    sampleKeep: dataset.sampleKeep,
    columns: dataset.columns.map((c) => ({
      ...c,
      personalDataReason: c.personalDataReason ?? null,
      authoritySsot: c.authoritySsot ?? null,
    })),
    currentVersion: dataset.currentVersion ? toVersionJson(dataset.currentVersion) : null,
    deprecation: dataset.deprecation ? toDeprecationJson(dataset.deprecation) : null,
    createdAt: dataset.createdAt.toISOString(),
    updatedAt: dataset.updatedAt.toISOString(),
  }
}

export function toDetailJson(
  dataset: DatasetDetail,
  owner: DatasetOwner,
): z.output<typeof datasetDetailJson> {
  return {
    ...toDatasetJson(dataset),
    versions: dataset.versions.map(toVersionJson),
    agencyName: owner.agencyName ?? null,
    stewards: owner.stewards,
    glossary: dataset.glossary,
  }
}

function toVersionJson(version: DatasetVersion): z.output<typeof versionJson> {
  return {
    version: version.version,
    rowCount: version.rowCount,
    byteSize: version.byteSize,
    contentSha256: version.contentSha256,
    quality: version.quality ?? null,
    sample: version.sample ?? null,
    createdAt: version.createdAt.toISOString(),
  }
}

export function toChangeJson(change: MetadataChange): z.output<typeof changeJson> {
  return {
    field: change.field,
    oldValue: change.oldValue,
    newValue: change.newValue,
    actor: change.actor,
    changedAt: change.changedAt.toISOString(),
  }
}

export function toDeprecationJson(deprecation: Deprecation): z.output<typeof deprecationJson> {
  return { ...deprecation, at: deprecation.at.toISOString() }
}
