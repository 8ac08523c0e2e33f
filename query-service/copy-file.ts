import { createHash } from 'node:crypto'
import {
  type FileHandle,
  mkdir,
  mkdtemp,
  open as openFile,
  readdir,
  rm,
  stat,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
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

/**
 * Where one process's answer files are written: a directory of the OS temp directory for the
 * deployment (its data directory, hashed) and in it one per process (core's process registry),
 * so that what a killed process left can be told from what a live one is writing, and removed
 * (`sweepCopies`) without touching another deployment's files on the same machine.
 */
export function copiesDirectory(dataDir: string, processId = 'unregistered'): string {
  return join(deploymentCopies(dataDir), processId)
}

const deploymentCopies = (dataDir: string) =>
  join(
    tmpdir(),
    `portal-copies-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}`,
  )

/**
 * Removes the answer files of this deployment's processes no longer on record (killed, their
 * work marked failed and forgotten): kill -9 leaves its half-written files behind. Answers how
 * many processes' files it removed.
 */
export async function sweepCopies(
  dataDir: string,
  knownProcessIds: readonly string[],
): Promise<number> {
  const root = deploymentCopies(dataDir)
  const known = new Set(knownProcessIds)
  const names = await readdir(root).catch(() => [] as string[])
  const orphaned = names.filter((name) => name.startsWith('proc_') && !known.has(name))
  await Promise.all(orphaned.map((name) => rm(join(root, name), { recursive: true, force: true })))
  return orphaned.length
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
  options: { directory?: string; followAfterMs?: number } = {},
): Promise<CopiedFile> {
  const root = options.directory ?? join(tmpdir(), 'portal-copies')
  const followAfterMs = options.followAfterMs ?? FOLLOW_AFTER_MS
  await mkdir(root, { recursive: true })
  const dir = await mkdtemp(join(root, 'copy-'))
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
