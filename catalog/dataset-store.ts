import { type Kysely, type Selectable, sql } from 'kysely'
import { type ListPage, pageBounds } from '../core/index.js'
import { type AppAbility, accessibleWhere, publicAbility } from '../identity/index.js'
import type {
  CatalogTables,
  DatasetColumnRow,
  DatasetRow,
  DatasetVersionRow,
} from './catalog-tables.js'
import type {
  Dataset,
  DatasetColumn,
  DatasetDetail,
  DatasetId,
  DatasetVersion,
  Deprecation,
  PersonalDataKind,
  SecurityClassification,
  Sensitivity,
  VersionSample,
} from './dataset.js'
import { type DeprecationInput, deprecationsOf, setDeprecation } from './dataset-deprecation.js'
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
import { PUBLIC_CLASSIFICATION } from './public-catalogue.js'
import {
  type DatasetRegistration,
  type PlaceVersion,
  type PublishResult,
  publishVersion,
  recordSample,
  type SampleRecord,
  type VersionContent,
} from './version-publication.js'

export type {
  DatasetRegistration,
  PlaceVersion,
  PublishResult,
  SampleRecord,
  VersionContent,
} from './version-publication.js'

export interface DatasetStore {
  /** A steward's edit of the dataset's metadata, field by field, every change recorded. */
  editMetadata(
    dataset: DatasetDetail,
    patch: MetadataPatch,
    actor: { id: string; name: string },
    ability: AppAbility,
    now: Date,
  ): Promise<MetadataChange[]>
  /**
   * A steward marks the dataset deprecated (null: no longer), recorded in its history; the
   * deprecation as it now is.
   */
  setDeprecation(
    dataset: DatasetDetail,
    deprecation: DeprecationInput | null,
    actor: { id: string; name: string },
    ability: AppAbility,
    now: Date,
  ): Promise<Deprecation | null>
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
  /**
   * A page of the datasets the ability may read, by title (core's MAX_LISTED at most, whatever is
   * asked); others are filtered out in SQL.
   */
  listDatasets(ability: AppAbility, page?: ListPage): Promise<Dataset[]>
  /**
   * One page of the public catalogue (what anyone may read, Official (Open) and Non-Sensitive),
   * oldest first, with how many it holds in all and when one of them last changed.
   */
  publicPage(page: {
    offset: number
    limit: number
  }): Promise<{ datasets: Dataset[]; total: number; modified: Date | undefined }>
  /**
   * Of these slugs, the datasets the catalogue holds, each with whether the ability may read it
   * (the same rules); one statement however large the catalogue, by the slugs' index.
   */
  slugsAmong(
    slugs: readonly string[],
    ability: AppAbility,
  ): Promise<{ slug: string; discoverable: boolean }[]>
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
    setDeprecation: (dataset, deprecation, actor, ability, now) =>
      setDeprecation(db, dataset, deprecation, actor, ability, now),
    listChanges: (datasetId) => listChanges(db, datasetId),
    recordView: (datasetId) => recordView(db, datasetId),
    recordUse: (datasetId, kind) => recordUse(db, datasetId, kind),
    saveTerms: (terms) => saveTerms(db, terms),
    linkColumnTerms: (datasetId, column, terms) => linkColumnTerms(db, datasetId, column, terms),
    listGlossary: () => listGlossary(db),
    defineTerm: (term, now) => defineTerm(db, term, now),
    redefineTerm: (term, patch, now) => redefineTerm(db, term, patch, now),
    recordSample: (datasetId, version, sample) => recordSample(db, datasetId, version, sample),

    async listDatasets(ability, page) {
      const { limit, offset } = pageBounds(page)
      const rows = await db
        .selectFrom('datasets')
        .selectAll()
        .where(readable(ability))
        // The id orders datasets of one title, so no page repeats or skips one.
        .orderBy('title')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute()
      return assemble(db, rows, ability)
    },

    async publicPage({ offset, limit }) {
      const ability = publicAbility()
      const open = db
        .selectFrom('datasets')
        .where(readable(ability))
        .where('security_classification', '=', PUBLIC_CLASSIFICATION.security)
        .where('sensitivity', '=', PUBLIC_CLASSIFICATION.sensitivity)
      // The page's ids first, from the public rows' index alone (no row read to be skipped),
      // then those rows.
      const ids = open.select('id').orderBy('created_at').orderBy('id').offset(offset).limit(limit)
      const [rows, summary] = await Promise.all([
        db
          .selectFrom('datasets')
          .selectAll()
          .where('id', 'in', ids)
          .orderBy('created_at')
          .orderBy('id')
          .execute(),
        open
          .select((eb) => [
            eb.fn.countAll<string>().as('total'),
            eb.fn.max('updated_at').as('modified'),
          ])
          .executeTakeFirst(),
      ])
      return {
        datasets: await assemble(db, rows, ability),
        total: Number(summary?.total ?? 0),
        modified: summary?.modified ? new Date(summary.modified) : undefined,
      }
    },

    slugsAmong: async (slugs, ability) =>
      slugs.length === 0
        ? []
        : db
            .selectFrom('datasets')
            .select((eb) => ['slug', sql<boolean>`${readable(ability)(eb)}`.as('discoverable')])
            .where('slug', '=', (eb) => eb.fn.any(eb.val([...slugs])))
            .execute(),

    async findDataset(idOrSlug, ability) {
      const row = await db
        .selectFrom('datasets')
        .selectAll()
        .where(idOrSlug.startsWith('d_') ? 'id' : 'slug', '=', idOrSlug)
        .where(readable(ability))
        .executeTakeFirst()
      if (!row) return undefined
      const [versions, terms] = await Promise.all([
        versionsWithSamples(db)
          .where('dataset_versions.dataset_id', '=', row.id)
          .orderBy('dataset_versions.version', 'desc')
          .execute(),
        termsOfDataset(db, row.id),
      ])
      // Its newest version is the first of them: not read again.
      const [dataset] = await assemble(db, [row], ability, versions.slice(0, 1))
      const glossary = Object.fromEntries(terms)
      return { ...(dataset as Dataset), versions: versions.map(rowToVersion), glossary }
    },

    publishVersion: (registration, content, place) =>
      publishVersion(db, registration, content, place),
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

/** Versions with their samples' records, as `rowToVersion` reads them. */
const versionsWithSamples = (db: Kysely<CatalogTables>) =>
  db
    .selectFrom('dataset_versions')
    .leftJoin('dataset_samples', (j) =>
      j
        .onRef('dataset_samples.dataset_id', '=', 'dataset_versions.dataset_id')
        .onRef('dataset_samples.version', '=', 'dataset_versions.version'),
    )
    .selectAll('dataset_versions')
    .select(SAMPLE_COLUMNS)

/** Datasets whole: columns, newest version (read here unless the caller has) and deprecation. */
async function assemble(
  db: Kysely<CatalogTables>,
  rows: Selectable<DatasetRow>[],
  ability: AppAbility,
  newest?: Awaited<ReturnType<ReturnType<typeof versionsWithSamples>['execute']>>,
): Promise<Dataset[]> {
  if (rows.length === 0) return []
  // One array parameter, not one per dataset: a statement holds at most 65,535 parameters, and
  // a catalogue of more datasets would not list at all.
  const ids = rows.map((r) => r.id)
  const ofDatasets = sql<string>`any(${ids})`
  const [versions, columns, deprecations] = await Promise.all([
    newest ??
      versionsWithSamples(db)
        .distinctOn('dataset_versions.dataset_id')
        .where('dataset_versions.dataset_id', '=', ofDatasets)
        .orderBy('dataset_versions.dataset_id')
        .orderBy('dataset_versions.version', 'desc')
        .execute(),
    db
      .selectFrom('dataset_columns')
      .selectAll()
      .where('dataset_id', '=', ofDatasets)
      .orderBy('dataset_id')
      .orderBy('position')
      .execute(),
    deprecationsOf(db, rows, ability),
  ])
  const latest = new Map(versions.map((v) => [v.dataset_id, rowToVersion(v)]))
  const columnsOf = new Map<string, Selectable<DatasetColumnRow>[]>()
  for (const column of columns) {
    columnsOf.set(column.dataset_id, [...(columnsOf.get(column.dataset_id) ?? []), column])
  }
  return rows.map((row) => {
    const dataset = rowToDataset(row, columnsOf.get(row.id) ?? [], latest.get(row.id))
    const deprecation = deprecations.get(row.id)
    return deprecation ? { ...dataset, deprecation } : dataset
  })
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
