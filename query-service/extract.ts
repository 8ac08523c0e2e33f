import type { DuckDBType } from '@duckdb/node-api'
import type { Entitlement } from '../catalog/index.js'
import { NotFoundError } from '../core/index.js'
import { ARROW_MEDIA_TYPE, arrowStream } from './arrow-ipc.js'
import { observeStream } from './observed-stream.js'
import { PARQUET_MEDIA_TYPE, parquetFile, pathLiteral } from './parquet-file.js'
import { streamChunks, streamRows } from './run-query.js'
import { openSandbox, type Sandbox, type SandboxLimits } from './sandbox.js'
import { csvHeader, csvRows, ndjsonEncoder } from './text-formats.js'

export const EXTRACT_FORMATS = ['csv', 'parquet', 'arrow', 'json'] as const
export type ExtractFormat = (typeof EXTRACT_FORMATS)[number]

const MEDIA: Record<ExtractFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  parquet: PARQUET_MEDIA_TYPE,
  arrow: ARROW_MEDIA_TYPE,
  json: 'application/x-ndjson; charset=utf-8',
}
const EXTENSION: Record<ExtractFormat, string> = {
  csv: 'csv',
  parquet: 'parquet',
  arrow: 'arrows',
  json: 'ndjson',
}

export interface Extract {
  fileName: string
  contentType: string
  body: ReadableStream<Uint8Array>
  /** Resolves once the body has been read to the end (or abandoned), with what was sent. */
  done: Promise<{ rows: number; bytes: number; completed: boolean }>
}

/**
 * One version of a dataset as a file, through the same views as queries (columns granted,
 * direct identifiers masked, row filter applied): the full data for a full entitlement, the
 * de-identified sample for a sample one. Streamed, never held whole in memory: CSV and NDJSON
 * as DuckDB produces rows, Parquet written by DuckDB to a private temporary file that is
 * streamed and then deleted.
 */
export async function openExtract(
  entitlement: Entitlement,
  version: number,
  format: ExtractFormat,
  options: { dataDir: string; maskKey: string; limits: SandboxLimits },
): Promise<Extract> {
  const file = entitlement.files.find((f) => f.version === version)
  if (!file)
    throw new NotFoundError(
      `No ${entitlement.scope === 'sample' ? 'sample' : 'version'} ${version} of '${entitlement.dataset.slug}' for you: ${entitlement.files.map((f) => `v${f.version}`).join(', ') || 'none'} available`,
    )
  const scoped: Entitlement = { ...entitlement, files: [file] }
  const fileName = `${entitlement.dataset.slug}-v${version}${entitlement.scope === 'sample' ? '-sample' : ''}.${EXTENSION[format]}`
  // Extracts have no row limit; time is generous but still bounded.
  const limits = { ...options.limits, timeoutMs: Math.max(options.limits.timeoutMs, 600_000) }
  if (format === 'parquet') return parquetExtract(scoped, fileName, options, limits)
  const sandbox = await openSandbox([scoped], { ...options, limits })
  const view = sandbox.views[0]?.name ?? ''
  if (format === 'arrow') return arrowExtract(sandbox, view, fileName, limits)
  let resolveDone: (value: { rows: number; bytes: number; completed: boolean }) => void = () => {}
  const done = new Promise<{ rows: number; bytes: number; completed: boolean }>((resolve) => {
    resolveDone = resolve
  })
  let names: string[] = []
  const source = streamRows(sandbox, `SELECT * FROM "${view}"`, limits, (info) => {
    names = info.columns.map((c) => c.name)
  })
  const encoder = new TextEncoder()
  let encode: ((rows: import('@duckdb/node-api').Json[][]) => string) | undefined
  let rows = 0
  let bytes = 0
  const finish = (completed: boolean) => {
    sandbox.close()
    resolveDone({ rows, bytes, completed })
  }
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        let text = ''
        let ended = false
        while (text.length < 262_144) {
          const next = await source.next()
          if (next.done) {
            ended = true
            break
          }
          if (!encode) {
            if (format === 'csv') text += csvHeader(names)
            encode = format === 'csv' ? csvRows : ndjsonEncoder(names)
          }
          rows += next.value.length
          text += encode(next.value)
        }
        if (ended && !encode && format === 'csv') text += csvHeader(names)
        if (text) {
          const piece = encoder.encode(text)
          bytes += piece.byteLength
          controller.enqueue(piece)
        }
        if (ended) {
          controller.close()
          finish(true)
        }
      } catch (error) {
        controller.error(error)
        finish(false)
      }
    },
    async cancel() {
      await source.return(undefined)
      finish(false)
    },
  })
  return { fileName, contentType: MEDIA[format], body, done }
}

function arrowExtract(
  sandbox: Sandbox,
  view: string,
  fileName: string,
  limits: SandboxLimits,
): Extract {
  let names: string[] = []
  let types: DuckDBType[] = []
  let rows = 0
  let resolveDone: (value: { rows: number; bytes: number; completed: boolean }) => void = () => {}
  const done = new Promise<{ rows: number; bytes: number; completed: boolean }>((resolve) => {
    resolveDone = resolve
  })
  async function* counted() {
    for await (const chunk of streamChunks(sandbox, `SELECT * FROM "${view}"`, limits, (info) => {
      names = info.columns.map((c) => c.name)
      types = info.types
    })) {
      rows += chunk.rowCount
      yield chunk
    }
  }
  const body = observeStream(
    arrowStream(counted(), () => ({ names, types })),
    (end) => {
      sandbox.close()
      resolveDone({ rows, bytes: end.bytes, completed: end.completed })
    },
  )
  return { fileName, contentType: ARROW_MEDIA_TYPE, body, done }
}

async function parquetExtract(
  entitlement: Entitlement,
  fileName: string,
  options: { dataDir: string; maskKey: string },
  limits: SandboxLimits,
): Promise<Extract> {
  const file = await parquetFile(
    (writablePath) => openSandbox([entitlement], { ...options, limits, writablePath }),
    async (sandbox, path) => {
      const view = sandbox.views[0]?.name ?? ''
      const copied = await sandbox.connection.runAndReadAll(
        `COPY (SELECT * FROM "${view}") TO ${pathLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
      )
      return Number(copied.getRows()[0]?.[0] ?? 0)
    },
  )
  return {
    fileName,
    contentType: PARQUET_MEDIA_TYPE,
    body: file.body,
    done: file.done.then((end) => ({ ...end, rows: file.rows })),
  }
}
