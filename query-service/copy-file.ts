import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Sandbox } from './sandbox.js'

/** The file formats DuckDB writes itself, how it writes them, and their media types. */
export const COPY_FORMATS = {
  parquet: { options: 'FORMAT parquet, COMPRESSION zstd', media: 'application/vnd.apache.parquet' },
  csv: { options: 'FORMAT csv, HEADER true', media: 'text/csv; charset=utf-8' },
  // Newline-delimited JSON: one object per row.
  json: { options: 'FORMAT json', media: 'application/x-ndjson; charset=utf-8' },
} as const
export type CopyFormat = keyof typeof COPY_FORMATS

export interface CopiedFile {
  rows: number
  body: ReadableStream<Uint8Array>
  /** Resolves once the body is read to the end or abandoned, after the file is deleted. */
  done: Promise<{ bytes: number; completed: boolean }>
}

/**
 * A file answer (Parquet, CSV or NDJSON): DuckDB writes it (`write` runs the COPY and returns its row count) into a
 * temporary directory private to this request, the only place the sandbox may write; the file
 * is then streamed in 1 MiB pieces and deleted however the reading ends.
 */
export async function copyFile(
  open: (writablePath: string) => Promise<Sandbox>,
  write: (sandbox: Sandbox, path: string) => Promise<number>,
): Promise<CopiedFile> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-parquet-'))
  const path = join(dir, 'answer')
  let sandbox: Sandbox | undefined
  let rows = 0
  try {
    sandbox = await open(path)
    rows = await write(sandbox, path)
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  } finally {
    sandbox?.close()
  }
  const { size } = await stat(path)
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })
  const done = new Promise<{ bytes: number; completed: boolean }>((resolve) => {
    let completed = false
    stream.on('end', () => {
      completed = true
    })
    stream.on('close', () => {
      void rm(dir, { recursive: true, force: true }).finally(() =>
        resolve({ bytes: completed ? size : stream.bytesRead, completed }),
      )
    })
  })
  return { rows, body: Readable.toWeb(stream) as ReadableStream<Uint8Array>, done }
}

/** SQL text as a path literal for COPY. */
export function pathLiteral(path: string): string {
  return `'${path.replaceAll("'", "''")}'`
}
