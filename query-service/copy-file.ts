import { type FileHandle, mkdtemp, open as openFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Sandbox } from './sandbox.js'

/** The file formats DuckDB writes itself, how it writes them, and their media types. */
export const COPY_FORMATS = {
  parquet: { options: 'FORMAT parquet, COMPRESSION zstd', media: 'application/vnd.apache.parquet' },
  csv: { options: 'FORMAT csv, HEADER true', media: 'text/csv; charset=utf-8' },
  // Newline-delimited JSON: one object per row.
  json: { options: 'FORMAT json', media: 'application/x-ndjson; charset=utf-8' },
} as const
export type CopyFormat = keyof typeof COPY_FORMATS

/** How a copied file's delivery ended. */
export interface CopyEnd {
  /** Rows DuckDB wrote (0 when it did not finish). */
  rows: number
  bytes: number
  /** Read to the end by the client. */
  completed: boolean
  /** Why DuckDB stopped writing, when it failed after the answer had begun. */
  error?: unknown
}

export interface CopiedFile {
  body: ReadableStream<Uint8Array>
  /** Resolves once the body is read to the end or abandoned, after the file is deleted. */
  done: Promise<CopyEnd>
}

const PIECE = 1 << 20
/** How often a reader that has caught up with DuckDB looks for more. */
const FOLLOW_MS = 5
/**
 * How long DuckDB writes before the answer starts flowing alongside. Following costs DuckDB
 * about a tenth of its speed on a busy machine, so quick answers are sent whole once written;
 * a long extract starts within this time, before proxies give up on an idle connection.
 */
const FOLLOW_AFTER_MS = 2_000

/**
 * A file answer (Parquet, CSV or NDJSON): DuckDB writes it (`write` runs the COPY and returns
 * its row count) into a temporary directory private to this request, the only place the sandbox
 * may write, and the file is streamed in 1 MiB pieces. A quick answer is sent once written, so
 * a query refused at once (a limit, a bad reference) still gets its proper error; a long one
 * starts after `followAfterMs` and flows *while* DuckDB writes it (DuckDB writes these formats
 * front to back), so a large extract does not keep its client waiting for the whole COPY. A
 * failure after the answer began ends the body with an error, so the client sees a broken
 * transfer rather than a short file. A client that
 * stops reading stops DuckDB too (`signal`). The file is deleted however the reading ends.
 */
export async function copyFile(
  open: (writablePath: string) => Promise<Sandbox>,
  write: (sandbox: Sandbox, path: string, signal: AbortSignal) => Promise<number>,
  followAfterMs = FOLLOW_AFTER_MS,
): Promise<CopiedFile> {
  const dir = await mkdtemp(join(tmpdir(), 'portal-copy-'))
  const path = join(dir, 'answer')
  const removeDir = () => rm(dir, { recursive: true, force: true })
  let sandbox: Sandbox
  try {
    sandbox = await open(path)
  } catch (error) {
    await removeDir()
    throw error
  }
  const stop = new AbortController()
  let outcome: { rows: number } | { error: unknown } | undefined
  const writing = write(sandbox, path, stop.signal)
    .then(
      (rows) => {
        outcome = { rows }
      },
      (error: unknown) => {
        outcome = { error }
      },
    )
    .finally(() => sandbox.close())
  const caughtUp = () =>
    Promise.race([writing, new Promise((resolve) => setTimeout(resolve, FOLLOW_MS))])

  // Wait for DuckDB's end, or for a while and its first bytes.
  const started = performance.now()
  const written = async () => (await stat(path).catch(() => undefined))?.size ?? 0
  while (!outcome && (performance.now() - started < followAfterMs || (await written()) === 0))
    await caughtUp()
  if (outcome && 'error' in outcome) {
    await removeDir()
    throw outcome.error
  }

  let handle: FileHandle | undefined
  let position = 0
  let resolveDone: (end: CopyEnd) => void = () => {}
  const done = new Promise<CopyEnd>((resolve) => {
    resolveDone = resolve
  })
  const finish = async (completed: boolean) => {
    if (!outcome) {
      stop.abort()
      await writing
    }
    await handle?.close().catch(() => undefined)
    handle = undefined
    await removeDir()
    const end = outcome ?? { error: new Error('stopped') }
    resolveDone({
      rows: 'rows' in end ? end.rows : 0,
      bytes: position,
      completed,
      ...('error' in end && completed === false && !stop.signal.aborted
        ? { error: end.error }
        : {}),
    })
  }
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        handle ??= await openFile(path, 'r')
        for (;;) {
          // Whether DuckDB had finished before this read: only then does an empty read mean the end.
          const settled = outcome
          const piece = new Uint8Array(PIECE)
          const { bytesRead } = await handle.read(piece, 0, PIECE, position)
          if (bytesRead > 0) {
            position += bytesRead
            controller.enqueue(piece.subarray(0, bytesRead))
            // A short read of a finished file is its end: close now, not on a later read that an
            // idle client might never ask for.
            if (settled && !('error' in settled) && bytesRead < PIECE) {
              controller.close()
              await finish(true)
            }
            return
          }
          if (settled && 'error' in settled) throw settled.error
          if (settled) {
            controller.close()
            await finish(true)
            return
          }
          await caughtUp()
        }
      } catch (error) {
        controller.error(error)
        await finish(false)
      }
    },
    async cancel() {
      await finish(false)
    },
  })
  return { body, done }
}

/** SQL text as a path literal for COPY. */
export function pathLiteral(path: string): string {
  return `'${path.replaceAll("'", "''")}'`
}
