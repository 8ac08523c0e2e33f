import { type FileHandle, open } from 'node:fs/promises'
import type { DuckDBConnection, DuckDBDataChunk, DuckDBType } from '@duckdb/node-api'
import { JsonDuckDBValueConverter } from '@duckdb/node-api'
import { FILE_FORMATS, sqlString } from './answer-formats.js'
import { arrowStream } from './arrow-ipc.js'
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

/** Rows as a JSON array of arrays (lossless values), cut at maxRows, refused past maxJsonBytes. */
async function writeJson(connection: DuckDBConnection, job: WorkerJob, watch: Interruption) {
  const result = await connection.stream(job.sql)
  const columns = columnsOf(result.columnNames(), result.columnTypes())
  return withFile(job.answerPath, async (file) => {
    let rows = 0
    let bytes = 1
    let truncated = false
    await file.write('[')
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
      await file.write(texts.join(''))
      if (truncated) break
    }
    await file.write(']')
    return { columns, rows, bytes: bytes + 1, truncated }
  })
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
  try {
    await writeJson(connection, probe, watch)
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
  const copied = await connection.runAndReadAll(
    `COPY (SELECT * FROM (\n${bodyOf(job.sql)}\n) LIMIT ${job.maxRows}) TO ${sqlString(job.answerPath)} (${options})`,
  )
  const rows = Number(copied.getRows()[0]?.[0] ?? 0)
  const handle = await open(job.answerPath, 'r')
  const { size } = await handle.stat().finally(() => handle.close())
  return { columns: [], rows, bytes: size, truncated: false }
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
