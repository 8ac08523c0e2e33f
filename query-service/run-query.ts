import {
  type DuckDBDataChunk,
  type DuckDBType,
  type Json,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api'
import { InvalidInputError } from '../core/index.js'
import { COPY_FORMATS, type CopyFormat, pathLiteral } from './copy-file.js'
import { QueryCancelledError, QueryLimitError, QueryRefusedError } from './errors.js'
import type { Sandbox, SandboxLimits } from './sandbox.js'
import { checkSql } from './sql-gate.js'

export interface QueryColumn {
  name: string
  type: string
}

/** A query's answer as JSON: columns with their DuckDB types, rows as arrays (lossless values). */
export interface QueryResult {
  columns: QueryColumn[]
  rows: Json[][]
  rowCount: number
  /** True when the row limit cut the answer short. */
  truncated: boolean
  /** The caller's views the query read. */
  views: string[]
}

/**
 * Runs one checked SELECT in the sandbox and yields its rows chunk by chunk (DuckDB's 2048-row
 * chunks, values as lossless JSON). The time limit interrupts the query; running out of memory
 * ends it; either becomes a QueryLimitError naming the limit. Errors DuckDB reports about the
 * query itself (unknown column, bad cast) come back as 400s with DuckDB's words.
 */
export async function* streamRows(
  sandbox: Sandbox,
  sql: string,
  limits: SandboxLimits,
  onStart: (info: { columns: QueryColumn[]; views: string[] }) => void,
  signal?: AbortSignal,
): AsyncGenerator<Json[][]> {
  for await (const chunk of streamChunks(sandbox, sql, limits, onStart, signal))
    yield chunk.convertRows(JsonDuckDBValueConverter) as Json[][]
}

/** The same, as DuckDB's own chunks (for formats built from columns, such as Arrow). */
export async function* streamChunks(
  sandbox: Sandbox,
  sql: string,
  limits: SandboxLimits,
  onStart: (info: { columns: QueryColumn[]; views: string[]; types: DuckDBType[] }) => void,
  signal?: AbortSignal,
): AsyncGenerator<DuckDBDataChunk> {
  const { connection } = sandbox
  const views = await checkSql(connection, sql, new Set(sandbox.views.map((v) => v.name)))
  const watch = watchQuery(connection, limits, signal)
  try {
    const result = await connection.stream(sql)
    const types = result.columnTypes()
    onStart({
      columns: result.columnNames().map((name, i) => ({ name, type: String(types[i]) })),
      views,
      types,
    })
    for await (const chunk of result) {
      // An interrupted stream ends quietly with an empty chunk: the flags tell it apart.
      if (watch.interrupted || watch.cancelled) break
      if (chunk.rowCount === 0) continue
      yield chunk
    }
    if (watch.cancelled) throw new QueryCancelledError()
    if (watch.interrupted) throw timeLimit(limits)
  } catch (error) {
    if (watch.cancelled) throw new QueryCancelledError()
    throw asQueryError(error, watch.interrupted, limits)
  } finally {
    watch.stop()
  }
}

/** The whole answer as JSON, cut at the row limit (and saying so). */
export async function runQuery(
  sandbox: Sandbox,
  sql: string,
  limits: SandboxLimits,
  signal?: AbortSignal,
): Promise<QueryResult> {
  let columns: QueryColumn[] = []
  let views: string[] = []
  const rows: Json[][] = []
  let truncated = false
  const onStart = (info: { columns: QueryColumn[]; views: string[] }) => {
    columns = info.columns
    views = info.views
  }
  for await (const chunk of streamRows(sandbox, sql, limits, onStart, signal)) {
    for (const row of chunk) {
      if (rows.length >= limits.maxRows) {
        truncated = true
        break
      }
      rows.push(row)
    }
    if (truncated) break
  }
  return { columns, rows, rowCount: rows.length, truncated, views }
}

/**
 * Interrupts the connection when the time limit passes or the caller cancels, and says which
 * happened (DuckDB reports both the same way, or not at all for a stream).
 */
function watchQuery(
  connection: Sandbox['connection'],
  limits: SandboxLimits,
  signal?: AbortSignal,
) {
  const state = {
    interrupted: false,
    cancelled: false,
    stop() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    },
  }
  const timer = setTimeout(() => {
    state.interrupted = true
    connection.interrupt()
  }, limits.timeoutMs)
  const onAbort = () => {
    state.cancelled = true
    connection.interrupt()
  }
  signal?.addEventListener('abort', onAbort)
  return state
}

function timeLimit(limits: SandboxLimits) {
  return new QueryLimitError(
    'time',
    `The query ran past the time limit of ${limits.timeoutMs / 1000} s and was stopped: narrow it (filter, aggregate, LIMIT) and try again`,
  )
}

function asQueryError(error: unknown, interrupted: boolean, limits: SandboxLimits): unknown {
  if (error instanceof QueryLimitError) return error
  const message = error instanceof Error ? error.message : String(error)
  if (interrupted || /INTERRUPT/i.test(message)) return timeLimit(limits)
  if (/Out of Memory/i.test(message))
    return new QueryLimitError(
      'memory',
      `The query needed more than the memory limit of ${limits.memoryLimit}: aggregate or filter before joining or sorting`,
    )
  if (/^Permission Error/i.test(message))
    return new QueryRefusedError('That reads something outside your views, which is not allowed')
  if (/^(Binder|Parser|Conversion|Catalog|Invalid Input|Constraint) Error/i.test(message))
    return new InvalidInputError(message)
  return error
}

/**
 * A checked SELECT written by DuckDB to a file at `path` (Parquet, CSV or NDJSON; at most
 * `maxRows` rows), within the time limit and cancellable. The text is checked as sent, then
 * wrapped on lines of its own so a trailing comment cannot reach the wrapping.
 */
export async function copyQuery(
  sandbox: Sandbox,
  sql: string,
  path: string,
  format: CopyFormat,
  limits: SandboxLimits,
  maxRows: number,
  signal?: AbortSignal,
): Promise<{ rows: number; views: string[] }> {
  const views = await checkSql(sandbox.connection, sql, new Set(sandbox.views.map((v) => v.name)))
  const body = sql.trim().replace(/;+\s*$/, '')
  const select = `SELECT * FROM (\n${body}\n) LIMIT ${maxRows}`
  return { rows: await copySelect(sandbox, select, path, format, limits, signal), views }
}

/**
 * A SELECT the server built itself (or one copyQuery checked) written by DuckDB's own COPY,
 * within the time limit and stopped by `signal`; returns the rows written.
 */
export async function copySelect(
  sandbox: Sandbox,
  select: string,
  path: string,
  format: CopyFormat,
  limits: SandboxLimits,
  signal?: AbortSignal,
): Promise<number> {
  const watch = watchQuery(sandbox.connection, limits, signal)
  try {
    const copied = await sandbox.connection.runAndReadAll(
      `COPY (${select}) TO ${pathLiteral(path)} (${COPY_FORMATS[format].options})`,
    )
    return Number(copied.getRows()[0]?.[0] ?? 0)
  } catch (error) {
    if (watch.cancelled) throw new QueryCancelledError()
    throw asQueryError(error, watch.interrupted, limits)
  } finally {
    watch.stop()
  }
}
