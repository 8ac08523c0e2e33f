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
import { QueryLimitError } from './errors.js'

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

/** The writing of an answer file by a worker: its row count when done, and how to stop it. */
export interface AnswerWriter {
  rows: Promise<number>
  stop(): void
}

/**
 * A file answer (Parquet, CSV, NDJSON or Arrow): a worker writes it (`write` starts the job on
 * the path it is given) into a temporary directory private to this request, the only place the
 * worker may write, and the file is streamed in 1 MiB pieces. A quick answer is sent once
 * written, so a query refused at once (a limit, a bad reference) still gets its proper error; a
 * long one starts after `followAfterMs` and flows *while* it is written (every format is written
 * front to back), so a large extract does not keep its client waiting. A failure after the answer
 * began ends the body with an error, so the client sees a broken transfer rather than a short
 * file; so does an answer past `maxBytes`. A client that stops reading stops the worker too. The
 * file is deleted however the reading ends.
 */
export async function streamAnswerFile(
  write: (path: string) => AnswerWriter,
  options: { directory: string; followAfterMs?: number; maxBytes?: number },
): Promise<CopiedFile> {
  const followAfterMs = options.followAfterMs ?? FOLLOW_AFTER_MS
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY
  await mkdir(options.directory, { recursive: true, mode: 0o700 })
  const dir = await mkdtemp(join(options.directory, 'copy-'))
  const path = join(dir, 'answer')
  const removeDir = () => rm(dir, { recursive: true, force: true })
  let writer: AnswerWriter
  try {
    writer = write(path)
  } catch (error) {
    await removeDir()
    throw error
  }
  let stopped = false
  let outcome: { rows: number } | { error: unknown } | undefined
  const writing = writer.rows.then(
    (rows) => {
      outcome = { rows }
    },
    (error: unknown) => {
      outcome = { error }
    },
  )
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
      stopped = true
      writer.stop()
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
      ...('error' in end && completed === false && !stopped ? { error: end.error } : {}),
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
            if (position > maxBytes) throw new AnswerTooLargeError(maxBytes)
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

/** An answer that grew past its byte limit while it streamed. */
export class AnswerTooLargeError extends QueryLimitError {
  constructor(maxBytes: number) {
    super(
      'bytes',
      `The answer grew past the limit of ${(maxBytes / 1e9).toFixed(1)} GB a streamed answer may hold and was stopped: select fewer rows or columns, or aggregate`,
    )
  }
}
