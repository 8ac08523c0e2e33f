import { randomBytes } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import type { CatalogTables, VersionSchemaColumn } from './catalog-tables.js'
import { refreshColumnsText } from './columns-text.js'
import {
  assertValidClassification,
  type Dataset,
  type DatasetColumn,
  type DatasetId,
  isSlug,
  type QualitySummary,
} from './dataset.js'

/** What a Trusted Centre pipeline declares about the dataset it publishes. */
export type DatasetRegistration = Pick<
  Dataset,
  | 'slug'
  | 'title'
  | 'description'
  | 'agency'
  | 'trustedCentre'
  | 'sourceSsots'
  | 'classification'
  | 'updateFrequency'
> &
  Partial<Pick<Dataset, 'themes' | 'tags' | 'licence' | 'contactEmail'>> & {
    /** The columns it may publish; their types come from each version's schema. */
    columns: (Omit<DatasetColumn, 'type' | 'isCoreField' | 'authoritySsot' | 'personalDataReason'> &
      Partial<Pick<DatasetColumn, 'isCoreField' | 'authoritySsot'>>)[]
  }

/** The content of a candidate version, measured before it is published. */
export interface VersionContent {
  rowCount: number
  byteSize: number
  contentSha256: string
  schema: VersionSchemaColumn[]
  quality?: QualitySummary
  runId?: string
}

export interface PublishResult {
  datasetId: DatasetId
  version: number
  /** False when the content equals the current version's: nothing new was published. */
  created: boolean
}

/**
 * Places a candidate version's file at its final, versioned location and returns that path
 * (relative to the data directory). Called inside the publishing transaction, so two
 * publishers never claim the same version number.
 */
export type PlaceVersion = (version: number) => Promise<string>

/** What the Trusted Centre records about a version's sample. */
export type SampleRecord =
  | {
      status: 'published'
      path: string
      rowCount: number
      k: number
      details: Record<string, unknown>
    }
  | { status: 'refused'; k: number; reason: string; details: Record<string, unknown> }

/** Records the sample made for a version (or why none was); a version's first record stays. */
export async function recordSample(
  db: Kysely<CatalogTables>,
  datasetId: DatasetId,
  version: number,
  sample: SampleRecord,
): Promise<void> {
  await db
    .insertInto('dataset_samples')
    .values({
      dataset_id: datasetId,
      version,
      status: sample.status,
      path: sample.status === 'published' ? sample.path : null,
      row_count: sample.status === 'published' ? sample.rowCount : null,
      k: sample.k,
      details: JSON.stringify(sample.details),
      reason: sample.status === 'refused' ? sample.reason : null,
    })
    .onConflict((oc) => oc.columns(['dataset_id', 'version']).doNothing())
    .execute()
}

/**
 * Registers the dataset on first sight and publishes a new version unless the content equals
 * the current one, in one transaction holding the dataset's row lock (see DatasetStore).
 */
export async function publishVersion(
  db: Kysely<CatalogTables>,
  registration: DatasetRegistration,
  content: VersionContent,
  place: PlaceVersion,
): Promise<PublishResult> {
  validateRegistration(registration, content)
  return db.transaction().execute(async (trx) => {
    const dataset = await lockOrCreateDataset(trx, registration)
    const latest = await trx
      .selectFrom('dataset_versions')
      .select(['version', 'content_sha256'])
      .where('dataset_id', '=', dataset.id)
      .orderBy('version', 'desc')
      .executeTakeFirst()
    if (latest && latest.content_sha256 === content.contentSha256) {
      return { datasetId: dataset.id as DatasetId, version: latest.version, created: false }
    }
    const version = (latest?.version ?? 0) + 1
    const path = await place(version)
    await trx
      .insertInto('dataset_versions')
      .values({
        dataset_id: dataset.id,
        version,
        path,
        row_count: content.rowCount,
        byte_size: content.byteSize,
        content_sha256: content.contentSha256,
        schema: JSON.stringify(content.schema),
        quality: content.quality ? JSON.stringify(content.quality) : null,
        run_id: content.runId ?? null,
      })
      .execute()
    await syncColumns(trx, dataset.id, registration, content.schema)
    return { datasetId: dataset.id as DatasetId, version, created: true }
  })
}

function validateRegistration(registration: DatasetRegistration, content: VersionContent) {
  if (!isSlug(registration.slug)) {
    throw new InvalidInputError(
      `Dataset slug '${registration.slug}' must be lower-case words joined by '-'`,
    )
  }
  assertValidClassification(registration.classification)
  const declared = new Set(registration.columns.map((c) => c.name))
  const missing = content.schema.filter((c) => !declared.has(c.name)).map((c) => c.name)
  if (missing.length > 0) {
    throw new InvalidInputError(
      `Dataset '${registration.slug}' publishes undeclared columns: ${missing.join(', ')}`,
    )
  }
}

async function lockOrCreateDataset(
  trx: Transaction<CatalogTables>,
  registration: DatasetRegistration,
) {
  await trx
    .insertInto('datasets')
    .values({
      id: `d_${randomBytes(16).toString('hex')}`,
      slug: registration.slug,
      title: registration.title,
      description: registration.description,
      agency: registration.agency,
      trusted_centre: registration.trustedCentre,
      source_ssots: registration.sourceSsots,
      security_classification: registration.classification.security,
      sensitivity: registration.classification.sensitivity,
      update_frequency: registration.updateFrequency,
      themes: registration.themes ?? [],
      tags: registration.tags ?? [],
      tags_text: [...(registration.themes ?? []), ...(registration.tags ?? [])].join(' '),
      ...(registration.licence ? { licence: registration.licence } : {}),
      ...(registration.contactEmail ? { contact_email: registration.contactEmail } : {}),
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute()
  // The row lock serialises publishers of one dataset, across processes and replicas.
  return trx
    .selectFrom('datasets')
    .select('id')
    .where('slug', '=', registration.slug)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

async function syncColumns(
  trx: Transaction<CatalogTables>,
  datasetId: string,
  registration: DatasetRegistration,
  schema: VersionSchemaColumn[],
) {
  const declared = new Map(registration.columns.map((c) => [c.name, c]))
  const names = schema.map((c) => c.name)
  await trx
    .deleteFrom('dataset_columns')
    .where('dataset_id', '=', datasetId)
    .where('name', 'not in', names)
    .execute()
  await trx
    .insertInto('dataset_columns')
    .values(
      schema.map((column, position) => ({
        dataset_id: datasetId,
        position,
        name: column.name,
        type: column.type,
        description: declared.get(column.name)?.description ?? '',
        personal_data: declared.get(column.name)?.personalData ?? 'none',
        is_core_field: declared.get(column.name)?.isCoreField ?? false,
        authority_ssot: declared.get(column.name)?.authoritySsot ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['dataset_id', 'name']).doUpdateSet((eb) => ({
        position: eb.ref('excluded.position'),
        type: eb.ref('excluded.type'),
      })),
    )
    .execute()
  await refreshColumnsText(trx, datasetId)
}
