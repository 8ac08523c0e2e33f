import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Sandbox } from './sandbox.js'

export const PARQUET_MEDIA_TYPE = 'application/vnd.apache.parquet'

/** How DuckDB writes each file format it can write itself. */
export const COPY_OPTIONS = {
  parquet: 'FORMAT parquet, COMPRESSION zstd',
  csv: 'FORMAT csv, HEADER true',
  json: 'FORMAT json',
} as const
export type CopyFormat = keyof typeof COPY_OPTIONS

export interface ParquetFile {
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
export async function parquetFile(
  open: (writablePath: string) => Promise<Sandbox>,
  write: (sandbox: Sandbox, path: string) => Promise<number>,
): Promise<ParquetFile> {
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
