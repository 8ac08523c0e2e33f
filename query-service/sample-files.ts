import { createHash } from 'node:crypto'
import { type FileHandle, mkdir, mkdtemp, open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { FILE_FORMATS, type FileFormat } from './answer-formats.js'
import { answerWriter } from './answer-writer.js'
import { conversionJob } from './conversion-job.js'
import type { QueryLimits } from './query-limits.js'
import type { QueryWorkers } from './query-workers.js'

/** A sample as this process keeps it in one format: its file, and the rows the worker wrote. */
interface KeptSample {
  path: string
  rows: number
}

/** A kept sample opened for reading: read it out with fileBody, which closes the handle. */
export interface OpenedSample {
  handle: FileHandle
  rows: number
}

/**
 * Files of samples a process keeps at most (only the latest versions' samples are downloadable:
 * older ones fall out of use); the least recently read goes first.
 */
const KEPT_SAMPLES = 256

/**
 * The published samples as CSV, NDJSON or Arrow, made once per process by a worker (the same job,
 * so the same bytes, as converting them at each download: CSV cells neutralised alike) and kept
 * in this process's answer directory, so that a download of a sample reads a file out as a
 * Parquet one does: no worker, no pool slot, no engine. A sample kept is found again only for the
 * sample file as it is now (its inode, size and modification time are in the key), and only by
 * this process: one started on newer code makes its own, and what a dead process kept is removed
 * with its answer files (sweepCopies). Who may read the sample is decided on every download,
 * before this is asked.
 */
export function createSampleFiles(options: {
  /** This process's answer directory. */
  copies: string
  workers: QueryWorkers
  limits: QueryLimits
  /** Files kept at most (default KEPT_SAMPLES). */
  keep?: number
}) {
  const keep = options.keep ?? KEPT_SAMPLES
  const directory = join(options.copies, 'samples')
  // Insertion order is recency: an entry read is put back at the end.
  const kept = new Map<string, KeptSample>()
  const making = new Map<string, Promise<KeptSample>>()

  /** The key of a sample file as it is now, in a format. */
  async function keyOf(sample: string, format: FileFormat) {
    const info = await stat(sample)
    return createHash('sha256')
      .update(JSON.stringify([sample, info.ino, info.size, info.mtimeMs, format]))
      .digest('hex')
      .slice(0, 24)
  }

  /** Opens the kept file of `key`, or forgets it when it is gone (a temp-directory cleaner). */
  async function openKept(key: string): Promise<OpenedSample | undefined> {
    const entry = kept.get(key)
    if (!entry) return undefined
    try {
      const handle = await open(entry.path, 'r')
      kept.delete(key)
      kept.set(key, entry)
      return { handle, rows: entry.rows }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      kept.delete(key)
      return undefined
    }
  }

  /**
   * Converts the sample by a worker into a directory private to the job (the only place it may
   * write), then moves the file into place whole; the least recently read past `keep` are removed
   * (a download reading one keeps its open handle).
   */
  async function make(
    key: string,
    view: { name: string; file: string },
    format: Exclude<FileFormat, 'parquet'>,
  ): Promise<KeptSample> {
    await mkdir(directory, { recursive: true, mode: 0o700 })
    const job = await mkdtemp(join(directory, 'make-'))
    try {
      const answerPath = join(job, 'answer')
      const lease = await options.workers.lease()
      const rows = await answerWriter(
        lease.run(conversionJob(view, format, answerPath, options.limits)),
        () => lease.release(),
      ).rows
      const path = join(directory, `${key}.${FILE_FORMATS[format].extension}`)
      await rename(answerPath, path)
      const entry = { path, rows }
      kept.set(key, entry)
      for (const [oldKey, old] of kept) {
        if (kept.size <= keep) break
        kept.delete(oldKey)
        await rm(old.path, { force: true })
      }
      return entry
    } finally {
      await rm(job, { recursive: true, force: true })
    }
  }

  return {
    /**
     * The sample file `view.file` in `format`, opened for reading: the one kept, or, when there is
     * none, made now while holding a slot of the pool (`acquire`), as any conversion does.
     */
    async open(
      view: { name: string; file: string },
      format: Exclude<FileFormat, 'parquet'>,
      acquire: () => Promise<() => void>,
    ): Promise<OpenedSample> {
      const key = await keyOf(view.file, format)
      // Twice at most: a file made now is only gone again if hundreds more were made meanwhile.
      for (let attempt = 0; ; attempt++) {
        const found = await openKept(key)
        if (found) return found
        if (attempt === 2)
          throw new Error(`The sample kept as ${format} was removed as it was made`)
        const release = await acquire()
        try {
          let pending = making.get(key)
          if (!pending) {
            pending = make(key, view, format).finally(() => making.delete(key))
            making.set(key, pending)
          }
          await pending
        } finally {
          release()
        }
      }
    },
  }
}

export type SampleFiles = ReturnType<typeof createSampleFiles>
