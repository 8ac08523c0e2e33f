import type { DuckDBType } from '@duckdb/node-api'
import type { Entitlement } from '../catalog/index.js'
import { NotFoundError } from '../core/index.js'
import { ARROW_MEDIA_TYPE, arrowStream } from './arrow-ipc.js'
import { COPY_FORMATS, copyFile } from './copy-file.js'
import { observeStream } from './observed-stream.js'
import { copySelect, streamChunks } from './run-query.js'
import { openSandbox, type Sandbox, type SandboxLimits } from './sandbox.js'

export const EXTRACT_FORMATS = ['csv', 'parquet', 'arrow', 'json'] as const
export type ExtractFormat = (typeof EXTRACT_FORMATS)[number]

const MEDIA: Record<ExtractFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  parquet: COPY_FORMATS.parquet.media,
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
 * de-identified sample for a sample one. Never held whole in memory: CSV, NDJSON and Parquet are
 * written by DuckDB's own COPY (its fastest path) to a private temporary file that is streamed
 * and then deleted; Arrow IPC is converted by us chunk by chunk as the client reads.
 */
export async function openExtract(
  entitlement: Entitlement,
  version: number,
  format: ExtractFormat,
  options: { dataDir: string; maskKey: string; limits: SandboxLimits; copies?: string },
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
  // DuckDB writes the formats it knows fastest itself; Arrow is converted by us as rows come.
  if (format !== 'arrow') return copyExtract(scoped, fileName, format, options, limits)
  const sandbox = await openSandbox([scoped], { ...options, limits })
  return arrowExtract(sandbox, sandbox.views[0]?.name ?? '', fileName, limits)
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

async function copyExtract(
  entitlement: Entitlement,
  fileName: string,
  format: Exclude<ExtractFormat, 'arrow'>,
  options: { dataDir: string; maskKey: string; copies?: string },
  limits: SandboxLimits,
): Promise<Extract> {
  const file = await copyFile(
    (writablePath) =>
      openSandbox([entitlement], {
        dataDir: options.dataDir,
        maskKey: options.maskKey,
        limits,
        writablePath,
      }),
    (sandbox, path, signal) =>
      copySelect(
        sandbox,
        `SELECT * FROM "${sandbox.views[0]?.name ?? ''}"`,
        path,
        format,
        limits,
        signal,
      ),
    { directory: options.copies },
  )
  return {
    fileName,
    contentType: MEDIA[format],
    body: file.body,
    done: file.done,
  }
}
