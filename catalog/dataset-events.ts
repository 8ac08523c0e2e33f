import type { Kysely } from 'kysely'
import type { Logger } from '../core/index.js'
import type { CatalogTables, VersionSchemaColumn } from './catalog-tables.js'
import type {
  Classification,
  DatasetId,
  QualityResult,
  QualitySummary,
  SecurityClassification,
  Sensitivity,
} from './dataset.js'
import type { DatasetStore } from './dataset-store.js'
import { type SchemaChange, schemaChangeBetween } from './version-schema-change.js'

/** The dataset an event is about, with what deciding who may hear of it needs. */
export interface DatasetRef {
  id: DatasetId
  slug: string
  title: string
  agency: string
  classification: Classification
}

/** A quality check that did not pass. */
export type FailedCheck = Pick<QualityResult, 'name' | 'severity' | 'observed' | 'expected'>

/** What happened to a dataset, as its followers and its agency's systems hear of it. */
export type DatasetEvent =
  | { kind: 'dataset.version-published'; dataset: DatasetRef; version: number; rowCount: number }
  | {
      kind: 'dataset.schema-changed'
      dataset: DatasetRef
      version: number
      previousVersion: number
      changes: SchemaChange
    }
  | {
      kind: 'dataset.quality-failed'
      dataset: DatasetRef
      /** The version published with failed checks; null when the failures stopped a publication. */
      version: number | null
      failed: FailedCheck[]
    }
  | {
      kind: 'dataset.deprecated'
      dataset: DatasetRef
      reason: string
      /** Named to each reader only if they may discover it too. */
      successor: DatasetRef | null
    }

/**
 * Told of each event once what it is about has committed. It may take its time: the catalogue
 * never waits for it, and a failure is logged, never thrown at whoever published or deprecated.
 */
export type DatasetListener = (event: DatasetEvent, at: Date) => Promise<void>

/** The store, telling a listener what happens to datasets; and a way to wait for the telling. */
export interface DatasetEvents {
  store: DatasetStore
  /**
   * Tells of a candidate the Trusted Centre refused to publish because a blocking check failed
   * (the catalogue never sees it otherwise). Nothing is told of a dataset never published.
   */
  refused(slug: string, quality: QualitySummary): void
  /** Resolves once every event told so far has been delivered (or its failure logged). */
  settled(): Promise<void>
}

/**
 * Wraps the store so that every new version (with its schema change and failed checks, compared
 * with the version before) and every deprecation is told to `listener`, after its transaction
 * and in the background: a publication never fails or waits because of who listens.
 * @example const events = observeDatasets(createDatasetStore(db), db, { listener, log })
 */
export function observeDatasets(
  store: DatasetStore,
  db: Kysely<CatalogTables>,
  options: { listener: DatasetListener; log: Pick<Logger, 'error'>; now?: () => Date },
): DatasetEvents {
  const now = options.now ?? (() => new Date())
  const pending = new Set<Promise<void>>()
  const tell = (what: string, events: () => Promise<DatasetEvent[]>) => {
    const at = now()
    const work = (async () => {
      for (const event of await events()) await options.listener(event, at)
    })()
      .catch((error: unknown) =>
        options.log.error(
          { err: error instanceof Error ? error : new Error(String(error)), what },
          "telling a dataset's followers failed",
        ),
      )
      .finally(() => pending.delete(work))
    pending.add(work)
  }
  return {
    store: {
      ...store,
      async publishVersion(registration, content, place) {
        const result = await store.publishVersion(registration, content, place)
        if (result.created)
          tell(`${registration.slug} v${result.version}`, () =>
            versionEvents(db, result.datasetId, result.version),
          )
        return result
      },
      async setDeprecation(dataset, deprecation, actor, ability, at) {
        const result = await store.setDeprecation(dataset, deprecation, actor, ability, at)
        // Told once, when it becomes deprecated; a reworded reason is not news.
        if (result && !dataset.deprecation)
          tell(`${dataset.slug} deprecated`, async () => {
            const successor = result.successor && (await datasetRow(db, 'id', result.successor.id))
            return [
              {
                kind: 'dataset.deprecated',
                dataset: refOf(dataset),
                reason: result.reason,
                successor: successor ? rowToRef(successor) : null,
              },
            ]
          })
        return result
      },
    },
    refused(slug, quality) {
      tell(`${slug} refused`, async () => {
        const row = await datasetRow(db, 'slug', slug)
        const failed = failedChecks(quality)
        return row && failed.length > 0
          ? [{ kind: 'dataset.quality-failed', dataset: rowToRef(row), version: null, failed }]
          : []
      })
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}

/** A new version's events: published; its schema change and failed checks, if any. */
async function versionEvents(
  db: Kysely<CatalogTables>,
  datasetId: DatasetId,
  version: number,
): Promise<DatasetEvent[]> {
  const [row, versions] = await Promise.all([
    datasetRow(db, 'id', datasetId),
    db
      .selectFrom('dataset_versions')
      .select(['version', 'row_count', 'schema', 'quality'])
      .where('dataset_id', '=', datasetId)
      .where('version', '<=', version)
      .orderBy('version', 'desc')
      .limit(2)
      .execute(),
  ])
  const [current, previous] = versions
  if (!row || current?.version !== version) return []
  const dataset = rowToRef(row)
  const events: DatasetEvent[] = [
    { kind: 'dataset.version-published', dataset, version, rowCount: current.row_count },
  ]
  if (previous) {
    const changes = schemaChangeBetween(
      previous.schema as VersionSchemaColumn[],
      current.schema as VersionSchemaColumn[],
    )
    if (changes.added.length + changes.removed.length + changes.retyped.length > 0)
      events.push({
        kind: 'dataset.schema-changed',
        dataset,
        version,
        previousVersion: previous.version,
        changes,
      })
  }
  const failed = current.quality ? failedChecks(current.quality) : []
  if (failed.length > 0) events.push({ kind: 'dataset.quality-failed', dataset, version, failed })
  return events
}

function failedChecks(quality: QualitySummary): FailedCheck[] {
  return quality.results
    .filter((r) => !r.passed)
    .map((r) => ({
      name: r.name,
      severity: r.severity,
      observed: r.observed,
      expected: r.expected,
    }))
}

function datasetRow(db: Kysely<CatalogTables>, by: 'id' | 'slug', value: string) {
  return db
    .selectFrom('datasets')
    .select(['id', 'slug', 'title', 'agency', 'security_classification', 'sensitivity'])
    .where(by, '=', value)
    .executeTakeFirst()
}

function rowToRef(row: NonNullable<Awaited<ReturnType<typeof datasetRow>>>): DatasetRef {
  return {
    id: row.id as DatasetId,
    slug: row.slug,
    title: row.title,
    agency: row.agency,
    classification: {
      security: row.security_classification as SecurityClassification,
      sensitivity: row.sensitivity as Sensitivity,
    },
  }
}

function refOf(dataset: DatasetRef): DatasetRef {
  const { id, slug, title, agency, classification } = dataset
  return { id, slug, title, agency, classification }
}
