import { randomBytes } from 'node:crypto'
import type { Kysely, Selectable, Transaction } from 'kysely'
import { InvalidInputError } from '../core/index.js'
import { type AppAbility, accessibleWhere } from '../identity/index.js'
import type {
  CatalogTables,
  DatasetColumnRow,
  DatasetRow,
  DatasetVersionRow,
  VersionSchemaColumn,
} from './catalog-tables.js'
import { refreshColumnsText } from './columns-text.js'
import {
  assertValidClassification,
  type Dataset,
  type DatasetColumn,
  type DatasetDetail,
  type DatasetId,
  type DatasetVersion,
  isSlug,
  type PersonalDataKind,
  type QualitySummary,
  type SecurityClassification,
  type Sensitivity,
  type VersionSample,
} from './dataset.js'
import {
  defineTerm,
  type GlossaryEntry,
  type GlossaryTerm,
  linkColumnTerms,
  listGlossary,
  redefineTerm,
  saveTerms,
  type TermPatch,
  termsOfDataset,
} from './glossary.js'
import {
  editMetadata,
  listChanges,
  type MetadataChange,
  type MetadataPatch,
  recordUse,
  recordView,
} from './metadata-edit.js'

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

export interface DatasetStore {
  /** A steward's edit of the dataset's metadata, field by field, every change recorded. */
  editMetadata(
    dataset: DatasetDetail,
    patch: MetadataPatch,
    actor: { id: string; name: string },
    ability: AppAbility,
    now: Date,
  ): Promise<MetadataChange[]>
  /** The dataset's metadata history, newest first. */
  listChanges(datasetId: DatasetId): Promise<MetadataChange[]>
  /** Counts a view towards the dataset's popularity. */
  recordView(datasetId: DatasetId): Promise<void>
  /** Counts a query or a download towards the dataset's popularity. */
  recordUse(datasetId: string, kind: 'queries' | 'downloads'): Promise<void>
  /** Adds business terms, or updates their definitions. */
  saveTerms(terms: readonly GlossaryTerm[]): Promise<void>
  /** Sets the glossary terms of a column. */
  linkColumnTerms(datasetId: DatasetId, column: string, terms: readonly string[]): Promise<void>
  /** Every term with the columns that use it. */
  listGlossary(): Promise<GlossaryEntry[]>
  /** Adds a term; one of the same name is a conflict. */
  defineTerm(term: GlossaryTerm, now: Date): Promise<GlossaryTerm>
  /** Redefines or renames a term; returns it before and after. */
  redefineTerm(
    term: string,
    patch: TermPatch,
    now: Date,
  ): Promise<{ before: GlossaryTerm; after: GlossaryTerm }>
  /** Records the sample made for a version (or why none was). */
  recordSample(datasetId: DatasetId, version: number, sample: SampleRecord): Promise<void>
  /** The datasets the ability may read; others are filtered out in SQL, counts included. */
  listDatasets(ability: AppAbility): Promise<Dataset[]>
  /** One dataset by id or slug, if it exists and the ability may read it. */
  findDataset(idOrSlug: string, ability: AppAbility): Promise<DatasetDetail | undefined>
  /**
   * Registers the dataset on first sight and publishes a new version unless the content equals
   * the current one. Steward-owned metadata (title, descriptions, classification) is set only
   * when the dataset or column first appears, never overwritten by a pipeline run.
   */
  publishVersion(
    registration: DatasetRegistration,
    content: VersionContent,
    place: PlaceVersion,
  ): Promise<PublishResult>
}

/** The catalogue's dataset queries over its tables. */
export function createDatasetStore(db: Kysely<CatalogTables>): DatasetStore {
  return {
    editMetadata: (dataset, patch, actor, ability, now) =>
      editMetadata(db, dataset, patch, actor, ability, now),
    listChanges: (datasetId) => listChanges(db, datasetId),
    recordView: (datasetId) => recordView(db, datasetId),
    recordUse: (datasetId, kind) => recordUse(db, datasetId, kind),
    saveTerms: (terms) => saveTerms(db, terms),
    linkColumnTerms: (datasetId, column, terms) => linkColumnTerms(db, datasetId, column, terms),
    listGlossary: () => listGlossary(db),
    defineTerm: (term, now) => defineTerm(db, term, now),
    redefineTerm: (term, patch, now) => redefineTerm(db, term, patch, now),

    async recordSample(datasetId, version, sample) {
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
    },

    async listDatasets(ability) {
      const rows = await db
        .selectFrom('datasets')
        .selectAll()
        .where(readable(ability))
        .orderBy('title')
        .execute()
      return assemble(db, rows)
    },

    async findDataset(idOrSlug, ability) {
      const row = await db
        .selectFrom('datasets')
        .selectAll()
        .where(idOrSlug.startsWith('d_') ? 'id' : 'slug', '=', idOrSlug)
        .where(readable(ability))
        .executeTakeFirst()
      if (!row) return undefined
      const [dataset] = await assemble(db, [row])
      const versions = await db
        .selectFrom('dataset_versions')
        .leftJoin('dataset_samples', (j) =>
          j
            .onRef('dataset_samples.dataset_id', '=', 'dataset_versions.dataset_id')
            .onRef('dataset_samples.version', '=', 'dataset_versions.version'),
        )
        .selectAll('dataset_versions')
        .select(SAMPLE_COLUMNS)
        .where('dataset_versions.dataset_id', '=', row.id)
        .orderBy('dataset_versions.version', 'desc')
        .execute()
      const glossary = Object.fromEntries(await termsOfDataset(db, row.id))
      return { ...(dataset as Dataset), versions: versions.map(rowToVersion), glossary }
    },

    async publishVersion(registration, content, place) {
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
    },
  }
}

/** The caller's read rules for datasets as a SQL condition on the datasets table. */
function readable(ability: AppAbility) {
  return accessibleWhere(ability, 'read', 'Dataset', {
    agency: 'datasets.agency',
    security: 'datasets.security_classification',
    sensitivity: 'datasets.sensitivity',
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

async function assemble(
  db: Kysely<CatalogTables>,
  rows: Selectable<DatasetRow>[],
): Promise<Dataset[]> {
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [versions, columns] = await Promise.all([
    db
      .selectFrom('dataset_versions')
      .leftJoin('dataset_samples', (j) =>
        j
          .onRef('dataset_samples.dataset_id', '=', 'dataset_versions.dataset_id')
          .onRef('dataset_samples.version', '=', 'dataset_versions.version'),
      )
      .selectAll('dataset_versions')
      .select(SAMPLE_COLUMNS)
      .distinctOn('dataset_versions.dataset_id')
      .where('dataset_versions.dataset_id', 'in', ids)
      .orderBy('dataset_versions.dataset_id')
      .orderBy('dataset_versions.version', 'desc')
      .execute(),
    db
      .selectFrom('dataset_columns')
      .selectAll()
      .where('dataset_id', 'in', ids)
      .orderBy('dataset_id')
      .orderBy('position')
      .execute(),
  ])
  const latest = new Map(versions.map((v) => [v.dataset_id, rowToVersion(v)]))
  const columnsOf = new Map<string, Selectable<DatasetColumnRow>[]>()
  for (const column of columns) {
    columnsOf.set(column.dataset_id, [...(columnsOf.get(column.dataset_id) ?? []), column])
  }
  return rows.map((row) => rowToDataset(row, columnsOf.get(row.id) ?? [], latest.get(row.id)))
}

function rowToDataset(
  row: Selectable<DatasetRow>,
  columns: Selectable<DatasetColumnRow>[],
  currentVersion: DatasetVersion | undefined,
): Dataset {
  return {
    id: row.id as DatasetId,
    slug: row.slug,
    title: row.title,
    description: row.description,
    agency: row.agency,
    trustedCentre: row.trusted_centre,
    sourceSsots: row.source_ssots,
    classification: {
      security: row.security_classification as SecurityClassification,
      sensitivity: row.sensitivity as Sensitivity,
    },
    updateFrequency: row.update_frequency,
    themes: row.themes,
    tags: row.tags,
    coverage: { start: isoDay(row.coverage_start), end: isoDay(row.coverage_end) },
    licence: row.licence,
    contactEmail: row.contact_email,
    sampleKeep: row.sample_keep ?? {},
    columns: columns.map(rowToColumn),
    currentVersion,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function rowToColumn(row: Selectable<DatasetColumnRow>): DatasetColumn {
  return {
    name: row.name,
    type: row.type,
    description: row.description,
    personalData: row.personal_data as PersonalDataKind,
    personalDataReason: row.personal_data_reason ?? undefined,
    isCoreField: row.is_core_field,
    authoritySsot: row.authority_ssot ?? undefined,
  }
}

function isoDay(value: Date | null): string | undefined {
  return value ? value.toISOString().slice(0, 10) : undefined
}

const SAMPLE_COLUMNS = [
  'dataset_samples.status as sample_status',
  'dataset_samples.row_count as sample_rows',
  'dataset_samples.k as sample_k',
  'dataset_samples.details as sample_details',
  'dataset_samples.reason as sample_reason',
] as const

type VersionWithSample = Selectable<DatasetVersionRow> & {
  sample_status: 'published' | 'refused' | null
  sample_rows: number | null
  sample_k: number | null
  sample_details: Record<string, unknown> | null
  sample_reason: string | null
}

function rowToSample(row: VersionWithSample): VersionSample | undefined {
  if (row.sample_status === 'published') {
    return {
      status: 'published',
      rowCount: row.sample_rows ?? 0,
      k: row.sample_k ?? 0,
      details: row.sample_details ?? {},
    }
  }
  if (row.sample_status === 'refused')
    return { status: 'refused', k: row.sample_k ?? 0, reason: row.sample_reason ?? '' }
  return undefined
}

function rowToVersion(row: VersionWithSample): DatasetVersion {
  return {
    version: row.version,
    rowCount: row.row_count,
    byteSize: row.byte_size,
    contentSha256: row.content_sha256,
    quality: row.quality ?? undefined,
    sample: rowToSample(row),
    createdAt: row.created_at,
  }
}
