import type { DuckDBConnection } from '../core/index.js'
import { bytesOf, quoteIdent, quoteLiteral, readRows } from '../core/index.js'
import type { Pipeline } from './pipelines/pipeline.js'
import { type Candidate, writeCandidate } from './publish.js'

/**
 * How a pipeline's rows reach their file: in one statement (the fastest), or made into a
 * temporary table first and then sorted into the file, each step spilling to disk as it needs.
 */
export type FusedWrite = 'one-statement' | 'table-first'

/**
 * Memory one statement takes per value of its inputs (a row's value of one column): it holds the
 * sort of its output while the windows and joins upstream still hold theirs. Measured on the
 * persons × addresses fusion at a million persons (about 19 million values): it fails below
 * about 15 bytes a value (at 286 MiB) and runs at 25 (at 500 MB); this keeps a margin above that.
 */
const STATEMENT_BYTES_PER_VALUE = 32

/**
 * Which write fits the engine's memory limit, chosen before any work from the inputs' sizes (their
 * Parquet footers: rows × columns), so a large run never starts a statement it cannot finish.
 */
export async function fusedWriteFor(
  conn: DuckDBConnection,
  inputs: readonly string[],
): Promise<FusedWrite> {
  const [row] = await readRows<{ limit: string; values: string | null }>(
    conn,
    `SELECT current_setting('memory_limit') AS "limit",
            (SELECT sum(num_values) FROM parquet_metadata([${inputs.map(quoteLiteral).join(', ')}])) AS "values"`,
  )
  const limit = bytesOf(row?.limit ?? '')
  const needed = Number(row?.values ?? 0) * STATEMENT_BYTES_PER_VALUE
  // An unlimited engine reports no size DuckDB writes as bytes: one statement always fits.
  return Number.isNaN(limit) || needed <= limit ? 'one-statement' : 'table-first'
}

/**
 * Writes the pipeline's rows, sorted by its key, as a candidate, the way `how` says. Both ways
 * write the same rows in the same order, so the same file.
 */
export async function writeFused(
  conn: DuckDBConnection,
  pipeline: Pipeline,
  file: string,
  how: FusedWrite,
): Promise<Candidate> {
  const order = pipeline.key.map(quoteIdent).join(', ')
  if (how === 'one-statement')
    return writeCandidate(conn, `SELECT * FROM (${pipeline.sql}) ORDER BY ${order}`, file)
  await conn.run(`CREATE OR REPLACE TEMP TABLE pipeline_rows AS ${pipeline.sql}`)
  try {
    return await writeCandidate(conn, `SELECT * FROM pipeline_rows ORDER BY ${order}`, file)
  } finally {
    await conn.run('DROP TABLE IF EXISTS pipeline_rows')
  }
}
