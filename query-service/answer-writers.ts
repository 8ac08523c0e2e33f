import { type FileHandle, mkdir, open } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { DuckDBConnection, DuckDBDataChunk, DuckDBType } from '@duckdb/node-api'
import { DuckDBTypeId, JsonDuckDBValueConverter } from '@duckdb/node-api'
import { FILE_FORMATS, sqlString } from './answer-formats.js'
import { arrowStream } from './arrow-ipc.js'
import { csvCell, csvCellSql } from './csv-cells.js'
import { JobError, type JobResult, megabytes, type WorkerJob } from './worker-protocol.js'

// How a worker writes a job's answer to its file, in each format. Runs inside the worker process:
// imports nothing of the rest of the product.

/** Whether the job has been interrupted (deadline or stop): an interrupted stream ends quietly. */
export interface Interruption {
  readonly interrupted: boolean
}

export type Answer = Omit<JobResult, 'views'>

/** Writes the answer of a checked job to its file, in the job's format. */
export function writeAnswer(
  connection: DuckDBConnection,
  job: WorkerJob,
  watch: Interruption,
): Promise<Answer> {
  if (job.format === 'json') return writeJson(connection, job, watch)
  if (job.format === 'arrow') return writeArrow(connection, job, watch)
  return writeCopy(connection, job)
}

/**
 * A JSON answer this small is sent back with the job's result rather than written to a file: no
 * file for the worker to write nor for the server to read and remove.
 */
export const INLINE_JSON_BYTES = 256 * 1024

/**
 * Rows as a JSON array of arrays (lossless values), cut at maxRows, refused past maxJsonBytes:
 * kept in memory (and answered inline) while under INLINE_JSON_BYTES, else written to the file.
 */
async function writeJson(
  connection: DuckDBConnection,
  job: WorkerJob,
  watch: Interruption,
  sink: JsonSink = jsonSink(job.answerPath),
) {
  const result = await connection.stream(job.sql)
  const columns = columnsOf(result.columnNames(), result.columnTypes())
  try {
    let rows = 0
    let bytes = 1
    let truncated = false
    for await (const chunk of result) {
      if (watch.interrupted) break
      const texts: string[] = []
      for (let i = 0; i < chunk.rowCount; i++) {
        if (rows >= job.maxRows) {
          truncated = true
          break
        }
        // Row by row, so one huge chunk is never turned into JS values all at once.
        const text = `${rows > 0 ? ',' : ''}${JSON.stringify(chunk.convertRowValues(i, JsonDuckDBValueConverter))}`
        bytes += Buffer.byteLength(text)
        if (bytes + 1 > job.maxJsonBytes) throw jsonLimit(job)
        texts.push(text)
        rows++
      }
      await sink.write(texts.join(''), bytes)
      if (truncated) break
    }
    const inline = await sink.end()
    return {
      columns,
      rows,
      bytes: bytes + 1,
      truncated,
      ...(inline === undefined ? {} : { inline }),
    }
  } finally {
    await sink.close()
  }
}

/** Where a JSON answer's text goes as it is made. */
interface JsonSink {
  write(text: string, bytesSoFar: number): Promise<void>
  /** The inline answer, or undefined when it went to the file. */
  end(): Promise<string | undefined>
  close(): Promise<void>
}

/**
 * Memory while the answer is small; past INLINE_JSON_BYTES, the answer's file (in its directory,
 * made now), with what was kept in memory first.
 */
function jsonSink(path: string): JsonSink {
  let kept = ['[']
  let file: FileHandle | undefined
  return {
    async write(text: string, bytesSoFar: number) {
      if (!file && bytesSoFar + 1 <= INLINE_JSON_BYTES) {
        kept.push(text)
        return
      }
      if (!file) {
        await mkdir(dirname(path), { mode: 0o700 })
        file = await open(path, 'wx', 0o600)
        await file.write(kept.join(''))
        kept = []
      }
      await file.write(text)
    },
    async end() {
      if (!file) return `${kept.join('')}]`
      await file.write(']')
      return undefined
    },
    async close() {
      await file?.close()
    },
  }
}

/**
 * After a JSON answer ran out of memory: whether its first rows alone pass the JSON byte limit.
 * DuckDB makes rows 2,048 at a time, so an answer of a thousand 1 MB rows can run out of memory
 * before a single row reaches the byte count; its first few, made alone, say which limit it is.
 * Throws the byte limit's failure if so, and returns otherwise.
 */
export async function probeJsonSize(
  connection: DuckDBConnection,
  job: WorkerJob,
  watch: Interruption,
) {
  const probe = { ...job, sql: `SELECT * FROM (\n${bodyOf(job.sql)}\n) LIMIT 64` }
  // Only its size counts: nothing is kept, nor written where the answer was.
  const discard: JsonSink = {
    write: async () => {},
    end: async () => undefined,
    close: async () => {},
  }
  try {
    await writeJson(connection, probe, watch, discard)
  } catch (error) {
    if (error instanceof JobError && error.failure.limit === 'bytes') throw error
  }
}

/** Arrow IPC, converted chunk by chunk as DuckDB makes them, at most maxRows rows. */
async function writeArrow(connection: DuckDBConnection, job: WorkerJob, watch: Interruption) {
  const result = await connection.stream(
    `SELECT * FROM (\n${bodyOf(job.sql)}\n) LIMIT ${job.maxRows}`,
  )
  const names = result.columnNames()
  const types = result.columnTypes()
  let rows = 0
  async function* chunks(): AsyncGenerator<DuckDBDataChunk> {
    for await (const chunk of result) {
      if (watch.interrupted) return
      rows += chunk.rowCount
      if (chunk.rowCount > 0) yield chunk
    }
  }
  return withFile(job.answerPath, async (file) => {
    let bytes = 0
    for await (const piece of arrowStream(chunks(), () => ({ names, types }))) {
      await file.write(piece)
      bytes += piece.byteLength
    }
    return { columns: columnsOf(names, types), rows, bytes, truncated: false }
  })
}

/** Parquet, CSV or NDJSON by DuckDB's own COPY (its fastest path), at most maxRows rows. */
async function writeCopy(connection: DuckDBConnection, job: WorkerJob) {
  const options = FILE_FORMATS[job.format as keyof typeof FILE_FORMATS]?.copy
  const rows = `SELECT * FROM (\n${bodyOf(job.sql)}\n) LIMIT ${job.maxRows}`
  const copy = async () =>
    connection.runAndReadAll(
      `COPY (${job.format === 'csv' ? await csvRows(connection, rows) : rows}) TO ${sqlString(job.answerPath)} (${options})`,
    )
  const copied = await copy().catch((error: unknown) => {
    throw withoutPlatformSql(error, job.sql)
  })
  const written = Number(copied.getRows()[0]?.[0] ?? 0)
  const handle = await open(job.answerPath, 'r')
  const { size } = await handle.stat().finally(() => handle.close())
  return { columns: [], rows: written, bytes: size, truncated: false }
}

/**
 * Types DuckDB writes as numbers, dates, times, intervals, booleans or UUIDs, in its own words:
 * never formulas, never quoted. An allow-list: every other type, text or not, known or new, is
 * written as text through the formula rule (csvRows).
 */
const PLAIN_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.BOOLEAN,
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.BIGNUM,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
  DuckDBTypeId.DATE,
  DuckDBTypeId.TIME,
  DuckDBTypeId.TIME_NS,
  DuckDBTypeId.TIME_TZ,
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
  DuckDBTypeId.INTERVAL,
  DuckDBTypeId.UUID,
])

/**
 * The rows of a CSV answer, for a COPY that quotes nothing itself (FILE_FORMATS): every column but
 * the plain ones cast to VARCHAR once (so JSON, an alias of VARCHAR, is compared as text too), then
 * made its CSV field in SQL (csv-cells.ts), neutralised, so COPY still streams; numbers, dates and
 * booleans left exactly as DuckDB writes them. Columns are taken by position (duplicate names are
 * fine), after the LIMIT, which keeps the rows in their order.
 */
async function csvRows(connection: DuckDBConnection, rows: string): Promise<string> {
  const prepared = await connection.prepare(rows)
  const columns = Array.from({ length: prepared.columnCount }, (_, i) => ({
    name: prepared.columnName(i),
    plain: PLAIN_TYPES.has(prepared.columnTypeId(i)),
  }))
  prepared.destroySync()
  if (columns.every((c) => c.plain && csvCell(c.name) === c.name)) return rows
  const texts = columns.map(({ plain }, i) => (plain ? `c${i}` : `CAST(c${i} AS VARCHAR) AS c${i}`))
  const fields = columns.map(({ name, plain }, i) => {
    const field = plain ? `c${i}` : csvCellSql(`c${i}`)
    return `${field} AS "${csvCell(name).replaceAll('"', '""')}"`
  })
  const answer = `answer(${columns.map((_, i) => `c${i}`).join(', ')})`
  return `SELECT ${fields.join(', ')} FROM (SELECT ${texts.join(', ')} FROM (${rows}) AS ${answer}) AS texts`
}

/**
 * A failure of the COPY as the caller may read it. DuckDB quotes the line of the SQL it failed at;
 * when that line is not the caller's (the platform's wrapping, the CSV cells above) its words are
 * replaced (the kind of error kept, so it is told as before), never quoting the platform's SQL.
 * A quoted line found in the caller's own text is theirs: the message is left as DuckDB wrote it.
 */
export function withoutPlatformSql(error: unknown, callerSql: string): unknown {
  if (!(error instanceof Error)) return error
  // DuckDB ends its message with the line (at most 80 characters of it, cut short with "...") and
  // a caret under the place.
  const quoted = /\nLINE \d+: ([^\n]*)\n *\^$/.exec(error.message)?.[1]
  if (quoted === undefined) return error
  if (callerSql.includes(quoted.replace(/^\.\.\./, '').replace(/\.\.\.$/, ''))) return error
  const kind = /^[A-Za-z ]+ Error(?=:)/.exec(error.message)?.[0]
  return new Error(
    `${kind ? `${kind}: ` : ''}The answer could not be written in this format (the engine’s words are not shown: they quote SQL the platform adds to your query): ask for another format, or select the column that fails as text (CAST(… AS VARCHAR))`,
  )
}

/**
 * The checked text, wrapped on lines of its own so that a trailing comment cannot reach the
 * wrapping, without a trailing semicolon.
 */
const bodyOf = (sql: string) => sql.trim().replace(/;+\s*$/, '')

async function withFile<T>(path: string, work: (file: FileHandle) => Promise<T>): Promise<T> {
  const file = await open(path, 'w', 0o600)
  try {
    return await work(file)
  } finally {
    await file.close()
  }
}

const columnsOf = (names: string[], types: DuckDBType[]) =>
  names.map((name, i) => ({ name, type: String(types[i]) }))

/** The failure of a JSON answer past its byte limit. */
export function jsonLimit(job: WorkerJob): JobError {
  return new JobError({
    kind: 'limit',
    limit: 'bytes',
    message: `The answer is larger than the ${megabytes(job.maxJsonBytes)} a JSON answer may hold: select fewer rows or columns, or ask for CSV, Parquet or Arrow, which stream`,
  })
}
