import type { FileFormat } from './answer-formats.js'
import type { QueryLimits } from './query-limits.js'
import type { WorkerJob } from './worker-protocol.js'

/** A conversion is a full read: generous time, however many rows the file has. */
const CONVERSION_TIMEOUT_MS = 600_000

/**
 * The worker's job that writes one projection (or sample) file whole in another format, to
 * `answerPath` in a directory private to the job: the platform's own `SELECT *` over the one
 * view, no caller SQL, no row limit (the OS caps the file at the stream byte limit).
 */
export function conversionJob(
  view: { name: string; file: string },
  format: Exclude<FileFormat, 'parquet'>,
  answerPath: string,
  limits: QueryLimits,
): WorkerJob {
  return {
    sql: `SELECT * FROM "${view.name}"`,
    views: [{ name: view.name, file: view.file }],
    format,
    answerPath,
    timeoutMs: Math.max(limits.timeoutMs, CONVERSION_TIMEOUT_MS),
    maxRows: Number.MAX_SAFE_INTEGER,
    maxJsonBytes: limits.maxJsonBytes,
  }
}
