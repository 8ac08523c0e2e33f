import type { Entitlement } from '../access/index.js'
import { InvalidInputError, NotFoundError } from '../core/index.js'
import { type CopyEnd, streamAnswerFile } from './answer-file.js'
import {
  EXTRACT_FORMATS,
  type ExtractFormat,
  FILE_FORMATS,
  type FileFormat,
  fileFormatOf,
} from './answer-formats.js'
import { answerWriter } from './answer-writer.js'
import { type CallerView, viewsOf } from './caller-views.js'
import { conversionJob } from './conversion-job.js'
import { entitledFile } from './entitled-file.js'
import { fileBody } from './file-body.js'
import type { Projections } from './projections.js'
import type { QueryLimits } from './query-limits.js'
import type { QueryWorkers } from './query-workers.js'
import { sampleBundle } from './sample-bundle.js'
import type { SampleFiles } from './sample-files.js'

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

/**
 * One version of a dataset as a file, read from the caller's projection of it (columns granted,
 * direct identifiers as the project's pseudonyms, row filter applied) or the published sample.
 * Parquet is the projection itself, streamed as it is; CSV, NDJSON and Arrow are converted by a
 * worker into a private temporary file streamed as it is written, except a sample's, which this
 * process converts once and keeps (sample-files.ts). Never held whole in memory.
 */
export async function openExtract(
  entitlements: readonly Entitlement[],
  request: ExtractRequest,
  deps: {
    acquire: () => Promise<() => void>
    projections: Projections
    workers: QueryWorkers
    samples: SampleFiles
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
  const streamed = await openBody(view, request.version, format, deps)
  try {
    const body =
      request.format === 'zip'
        ? sampleBundle(
            streamed.body,
            { data: `${baseName}.csv`, dataset: entitlement.dataset.title },
            await deps.projections.sampleReport(streamed.file),
          )
        : streamed.body
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
      body,
      done,
      grantIds: entitlement.grantId ? [entitlement.grantId] : [],
    }
  } catch (error) {
    // Nothing was sent: what the body holds (a worker, a slot, an open file) is given back.
    await streamed.body.cancel(error).catch(() => undefined)
    throw error
  }
}

/**
 * The view's file of the version, and its body in the format asked for. A slot of the pool is
 * held while a file is made (a projection, a conversion by a worker); reading one out holds
 * none, so a sample, published as it is shown and kept once converted, mostly takes none.
 */
async function openBody(
  view: CallerView,
  version: number,
  format: FileFormat,
  deps: Omit<Parameters<typeof openExtract>[2], 'recordEnd'>,
): Promise<{ file: string; body: ReadableStream<Uint8Array>; done: Promise<CopyEnd> }> {
  const maxBytes = deps.limits.maxStreamBytes
  const rowsOf = (file: string) => () => deps.projections.rowCount(file)
  if (view.entitlement.scope === 'sample') {
    const file = await deps.projections.file(view, version)
    if (format === 'parquet') return { file, ...(await fileBody(file, maxBytes, rowsOf(file))) }
    const kept = await deps.samples.open({ name: view.name, file }, format, deps.acquire)
    return { file, ...(await fileBody(kept.handle, maxBytes, async () => kept.rows)) }
  }
  const release = await deps.acquire()
  try {
    const file = await deps.projections.file(view, version)
    const streamed =
      format === 'parquet'
        ? await fileBody(file, maxBytes, rowsOf(file)).finally(release)
        : await convert(view.name, file, format, { ...deps, release })
    return { file, ...streamed }
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
          lease.run(conversionJob({ name: view, file }, format, answerPath, deps.limits)),
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
