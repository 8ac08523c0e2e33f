import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type {
  DatasetId,
  DatasetRegistration,
  DatasetStore,
  ProfileStore,
  PublishResult,
  QualitySummary,
} from '../catalog/index.js'
import type { DuckDBConnection, DuckDBInstance } from '../core/index.js'
import { quoteLiteral, readRows, sha256File, withConnection } from '../core/index.js'
import { profileColumns, type SampleReport } from '../disclosure/index.js'
import { systemAbility } from '../identity/index.js'
import { dataLayout } from './data-layout.js'
import { mkdirFor, moveIntoPlace, removeIfPresent } from './files.js'
import { PIPELINES } from './pipelines/pipelines.js'

/** A result written under a temporary name and measured: published next, or thrown away. */
export interface Candidate {
  /** The temporary file, an absolute path. */
  file: string
  rowCount: number
  schema: { name: string; type: string }[]
  /** The file's SHA-256, when its writer hashed it already (publishing hashes it otherwise). */
  contentSha256?: string
}

/**
 * Writes the rows of a query, in its order, to a temporary Parquet file, and measures them as
 * DuckDB reads the file back (DESCRIBE and a count). A candidate that is not published is the
 * caller's to remove.
 */
export async function writeCandidate(
  conn: DuckDBConnection,
  select: string,
  file: string,
): Promise<Candidate> {
  await mkdirFor(file)
  await conn.run(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`)
  const schema = await readRows<{ column_name: string; column_type: string }>(
    conn,
    `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(file)})`,
  )
  const [count] = await readRows<{ n: string }>(
    conn,
    `SELECT count(*) AS n FROM read_parquet(${quoteLiteral(file)})`,
  )
  return {
    file,
    rowCount: Number(count?.n ?? 0),
    schema: schema.map((c) => ({ name: c.column_name, type: c.column_type })),
  }
}

/** What publishing needs: the catalogue, and the data directory the versions live under. */
export interface PublishDeps {
  catalog: Pick<DatasetStore, 'publishVersion'>
  dataDir: string
}

/** Which dataset a candidate becomes a version of, where that version lives, and its record. */
export interface PublishOptions {
  dataset: DatasetRegistration
  /** Where version N of the dataset lives, relative to the data directory. */
  target: (version: number) => string
  /** The run that made the candidate. */
  runId: string
  quality?: QualitySummary
}

/** What publishing did, and the size and digest the catalogue recorded for the file. */
export interface Published {
  publication: PublishResult
  byteSize: number
  contentSha256: string
}

/**
 * Publishes a candidate as the dataset's next immutable version: its size and SHA-256 go to the
 * catalogue, which renames the file to its version's name inside its publishing transaction, so
 * a crash never leaves half a version. A candidate equal to the current version publishes
 * nothing. Either way the temporary file is gone afterwards.
 *
 * @example
 * const pending = join(dataDir, dataLayout.pendingVersion(slug, runId))
 * const candidate = await withConnection(connect, (conn) =>
 *   writeCandidate(conn, 'SELECT * FROM totals ORDER BY number', pending),
 * )
 * const { publication } = await publishCandidate({ catalog, dataDir }, candidate, {
 *   dataset: KPI_HISTORY_DATASET,
 *   target: (version) => dataLayout.version(slug, version),
 *   runId,
 * })
 */
export async function publishCandidate(
  deps: PublishDeps,
  candidate: Candidate,
  options: PublishOptions,
): Promise<Published> {
  try {
    const content = {
      rowCount: candidate.rowCount,
      schema: candidate.schema,
      ...(options.quality ? { quality: options.quality } : {}),
      byteSize: (await stat(candidate.file)).size,
      contentSha256: candidate.contentSha256 ?? (await sha256File(candidate.file)),
      runId: options.runId,
    }
    const publication = await deps.catalog.publishVersion(
      options.dataset,
      content,
      async (version) => {
        const path = options.target(version)
        await moveIntoPlace(candidate.file, join(deps.dataDir, path))
        return path
      },
    )
    return { publication, byteSize: content.byteSize, contentSha256: content.contentSha256 }
  } finally {
    // Published, it has its version's name by now; unchanged or failed, it is not kept.
    await removeIfPresent(candidate.file)
  }
}

/** What profiling a version needs: the catalogue, where profiles go, the engine and files. */
export interface ProfileDeps {
  catalog: Pick<DatasetStore, 'findDataset'>
  profiles: Pick<ProfileStore, 'recordProfiles'>
  duckdb: DuckDBInstance
  dataDir: string
  /** k for versions that have no sample record (samples record their own). */
  sampleK: number
}

/**
 * Profiles every column of a published version in DuckDB, under the rules its sample followed
 * (its k, and the level it showed each quasi-identifier at), and records the profiles. Columns
 * and types are the version's own; labels are the catalogue's now, and a column the catalogue
 * no longer holds counts as a quasi-identifier.
 */
export async function profileVersion(
  deps: ProfileDeps,
  datasetId: DatasetId,
  version: number,
): Promise<void> {
  const dataset = await deps.catalog.findDataset(datasetId, systemAbility())
  const published = dataset?.versions.find((v) => v.version === version)
  if (!dataset || !published) throw new Error(`No version ${version} of dataset '${datasetId}'`)
  const sample = published.sample
  const k = sample?.k ?? deps.sampleK
  const report =
    sample?.status === 'published' ? (sample.details.report as SampleReport | undefined) : undefined
  const labels = new Map(dataset.columns.map((c) => [c.name, c.personalData]))
  const source = `read_parquet(${quoteLiteral(join(deps.dataDir, dataLayout.version(dataset.slug, version)))})`
  const groups = PIPELINES.find((p) => p.dataset.slug === dataset.slug)?.sample?.groups
  const columns = await withConnection(
    () => deps.duckdb.connect(),
    async (conn) => {
      const schema = await readRows<{ column_name: string; column_type: string }>(
        conn,
        `DESCRIBE SELECT * FROM ${source}`,
      )
      return profileColumns(conn, source, {
        columns: schema.map((c) => ({
          name: c.column_name,
          type: c.column_type,
          personalData: labels.get(c.column_name) ?? 'quasi-identifier',
        })),
        k,
        sample: report,
        ...(groups ? { groups } : {}),
      })
    },
  )
  await deps.profiles.recordProfiles({ datasetId, version, k, columns })
}

/** Profiles the versions a fusion run published (after their samples, whose levels they use). */
export async function profilePublications(
  deps: ProfileDeps,
  results: readonly { publication: PublishResult | undefined }[],
): Promise<void> {
  for (const { publication } of results)
    if (publication?.created) await profileVersion(deps, publication.datasetId, publication.version)
}
