import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { Entitlement } from '../access/index.js'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import { AnswerTooLargeError, streamAnswerFile } from './answer-file.js'
import {
  EXTRACT_FORMATS,
  type ExtractFormat,
  FILE_FORMATS,
  type FileFormat,
  fileFormatOf,
} from './answer-formats.js'
import { answerWriter } from './answer-writer.js'
import { viewsOf } from './caller-views.js'
import { entitledFile } from './entitled-file.js'
import { observeStream } from './observed-stream.js'
import type { Projections } from './projections.js'
import type { QueryLimits } from './query-limits.js'
import type { QueryWorkers } from './query-workers.js'
import { sampleBundle } from './sample-bundle.js'

export { EXTRACT_FORMATS, type ExtractFormat }

export interface ExtractRequest {
  dataset: string
  version: number
  scope: 'full' | 'sample'
  format: ExtractFormat
}

export interface Extract {
  fileName: string
  contentType: string
  body: ReadableStream<Uint8Array>
  /** The grant it reads from, if any: the download ends if the grant does. */
  grantIds: string[]
  /** Resolves once the body has been read to the end (or abandoned), with what was sent. */
  done: Promise<{ rows: number; bytes: number; completed: boolean }>
}

/** How a download ended, for its audit entry and the dataset's popularity. */
export interface ExtractEnd {
  dataset: Entitlement['dataset']
  basis: Entitlement['basis']
  /** The grant it was read under, if any: its usage counts the download. */
  grantId: string | undefined
  rows: number
  bytes: number
  completed: boolean
  error?: string
}

/** An extract is a full read: generous time, however many rows the version has. */
const EXTRACT_TIMEOUT_MS = 600_000

/**
 * One version of a dataset as a file, read from the caller's projection of it (columns granted,
 * direct identifiers as the project's pseudonyms, row filter applied) or the published sample.
 * Parquet is the projection itself, streamed as it is; CSV, NDJSON and Arrow are converted by a
 * worker into a private temporary file streamed as it is written. Never held whole in memory.
 */
export async function openExtract(
  entitlements: readonly Entitlement[],
  request: ExtractRequest,
  deps: {
    acquire: () => Promise<() => void>
    projections: Projections
    workers: QueryWorkers
    /** This process's answer directory. */
    copies: string
    limits: QueryLimits
    recordEnd: (end: ExtractEnd) => void
  },
): Promise<Extract> {
  const { entitlement } = entitledFile(entitlements, request)
  if (request.format === 'zip' && entitlement.scope !== 'sample')
    throw new InvalidInputError(
      'format: zip bundles a sample with its report; a full extract comes as csv, parquet, arrow or json',
    )
  const [view] = viewsOf([entitlement])
  if (!view) throw new NotFoundError(`No file of '${entitlement.dataset.slug}' for you`)
  const format = fileFormatOf(request.format)
  const baseName = `${entitlement.dataset.slug}-v${request.version}${entitlement.scope === 'sample' ? '-sample' : ''}`
  const fileName = `${baseName}.${request.format === 'zip' ? 'zip' : FILE_FORMATS[format].extension}`
  const release = await deps.acquire()
  try {
    const file = await deps.projections.file(view, request.version)
    // The slot is held while the file is made (by a worker); reading it out holds none.
    const streamed =
      format === 'parquet'
        ? await streamProjection(file, deps.limits.maxStreamBytes, () =>
            deps.projections.rowCount(file),
          ).finally(release)
        : await convert(view.name, file, format, { ...deps, release })
    const done = streamed.done.then((end) => {
      deps.recordEnd({
        dataset: entitlement.dataset,
        basis: entitlement.basis,
        grantId: entitlement.grantId,
        rows: end.rows,
        bytes: end.bytes,
        completed: end.completed,
        ...(end.error !== undefined && {
          error: String((end.error as Error).message ?? end.error),
        }),
      })
      return { rows: end.rows, bytes: end.bytes, completed: end.completed }
    })
    return {
      fileName,
      contentType: request.format === 'zip' ? 'application/zip' : FILE_FORMATS[format].media,
      body:
        request.format === 'zip'
          ? sampleBundle(
              streamed.body,
              { data: `${baseName}.csv`, dataset: entitlement.dataset.title },
              await deps.projections.sampleReport(file),
            )
          : streamed.body,
      done,
      grantIds: entitlement.grantId ? [entitlement.grantId] : [],
    }
  } catch (error) {
    release()
    throw error
  }
}

/** A projection converted by a worker to CSV, NDJSON or Arrow, streamed while it is written. */
async function convert(
  view: string,
  file: string,
  format: Exclude<FileFormat, 'parquet'>,
  deps: { workers: QueryWorkers; copies: string; limits: QueryLimits; release: () => void },
) {
  const lease = await deps.workers.lease()
  try {
    return await streamAnswerFile(
      (answerPath) =>
        answerWriter(
          lease.run({
            sql: `SELECT * FROM "${view}"`,
            views: [{ name: view, file }],
            format,
            answerPath,
            timeoutMs: Math.max(deps.limits.timeoutMs, EXTRACT_TIMEOUT_MS),
            maxRows: Number.MAX_SAFE_INTEGER,
            maxJsonBytes: deps.limits.maxJsonBytes,
          }),
          () => {
            lease.release()
            deps.release()
          },
        ),
      { directory: deps.copies, maxBytes: deps.limits.maxStreamBytes },
    )
  } catch (error) {
    lease.release()
    throw error
  }
}

/** A projection file streamed as it is (it is never changed or removed while read: an open file stays readable). */
async function streamProjection(path: string, maxBytes: number, rowCount: () => Promise<number>) {
  const { size } = await stat(path)
  if (size > maxBytes) throw new AnswerTooLargeError(maxBytes)
  let resolveDone: (end: {
    rows: number
    bytes: number
    completed: boolean
    error?: unknown
  }) => void = () => {}
  const done = new Promise<{ rows: number; bytes: number; completed: boolean; error?: unknown }>(
    (resolve) => {
      resolveDone = resolve
    },
  )
  const body = observeStream(
    Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
    async (end) => {
      const rows = end.completed ? await rowCount().catch(() => 0) : 0
      resolveDone({ rows, bytes: end.bytes, completed: end.completed, error: end.error })
    },
  )
  return { body, done }
}
