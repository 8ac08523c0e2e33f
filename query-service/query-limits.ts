/** What one query may use: time, the worker's memory and threads, rows and bytes of its answer. */
export interface QueryLimits {
  timeoutMs: number
  /** DuckDB's memory limit in each worker, e.g. '512MB'; the OS caps the worker 2 GB above it. */
  memoryLimit: string
  threads: number
  /** Rows of a JSON answer (cut, and it says so). */
  maxRows: number
  /** Rows of a file answer (CSV, NDJSON, Arrow, Parquet). */
  maxStreamRows: number
  /** Bytes of a JSON answer: a larger one is refused naming the limit. */
  maxJsonBytes: number
  /** Bytes of a file answer or extract: the OS stops the worker writing past it. */
  maxStreamBytes: number
}
