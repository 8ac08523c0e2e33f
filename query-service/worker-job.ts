import { dirname } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { answerAggregate } from './aggregate-answer.js'
import { ROW_COLUMN, UNIT_COLUMN, unitsViewOf } from './aggregate-query.js'
import { FILE_FORMATS, sqlString } from './answer-formats.js'
import { jsonLimit, probeJsonSize, writeAnswer } from './answer-writers.js'
import { type GateVerdict, judgeSql, PARSE_SQL, precheckSql } from './sql-gate.js'
import { type LiteralFilter, literalFiltersOf } from './sql-literal-filters.js'
import {
  JobError,
  type JobFailure,
  type JobResult,
  type JobView,
  timeLimitFailure,
  type WorkerJob,
  type WorkerSettings,
} from './worker-protocol.js'
import type { Sandbox } from './worker-sandboxes.js'

// What runs inside a query worker process. This file and what it imports must stay free of the
// rest of the product (no core, no database): the worker holds nothing but one job's files.

/** Lets DuckDB compute ahead of a streaming reader; its default of under 1 MB leaves it idle. */
const STREAMING_BUFFER = '64MB'

/**
 * A fresh DuckDB instance for the next job, made ahead of it (it costs ~9 ms): in memory,
 * nothing spilled to disk, no extension installed or loaded behind our back.
 */
export function newInstance(settings: WorkerSettings): Promise<DuckDBInstance> {
  return DuckDBInstance.create(':memory:', {
    threads: String(settings.threads),
    memory_limit: settings.memoryLimit,
    max_temp_directory_size: '0B',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  })
}

/** The gate's verdict on a text, parsed by DuckDB's own parser (nothing is run). */
export async function judge(
  connection: DuckDBConnection,
  sql: string,
  views: ReadonlySet<string>,
): Promise<GateVerdict> {
  return (await judgeWithFilters(connection, sql, views)).verdict
}

/** The gate's verdict, and the literal filters of a text it lets run (from the same parse). */
async function judgeWithFilters(
  connection: DuckDBConnection,
  sql: string,
  views: ReadonlySet<string>,
): Promise<{ verdict: GateVerdict; filters: LiteralFilter[] }> {
  const early = precheckSql(sql)
  if (early) return { verdict: early, filters: [] }
  const reader = await connection.runAndReadAll(PARSE_SQL, [sql])
  const serialized = String(reader.getRows()[0]?.[0] ?? '')
  const verdict = judgeSql(sql, serialized, views)
  return { verdict, filters: verdict.ok ? literalFiltersOf(serialized) : [] }
}

/**
 * Runs one job in its sandbox: a fresh one is built for the files it may read (each view reads its
 * projection file, the only files DuckDB may open) and locked; a caller's kept one, locked to
 * their files already, gains the views this job reads that it lacks. Then the SQL is judged again
 * against the job's views, run within the time limit, its answer written (or returned inline).
 * Throws a JobError saying why when there is no answer. `stop` interrupts it (cancel, client gone).
 */
export async function runJob(
  sandbox: Sandbox,
  job: WorkerJob,
  stop: AbortSignal,
): Promise<JobResult> {
  const connection = await sandbox.instance.connect()
  const watch = watchJob(connection, job.timeoutMs, stop)
  try {
    if (!sandbox.locked) {
      await openSandbox(
        connection,
        job,
        sandbox.key !== undefined && job.sandbox ? job.sandbox.views : job.views,
      )
      sandbox.locked = true
    } else
      await createViews(
        connection,
        job.views.filter((v) => !sandbox.views.has(v.name)),
      )
    for (const view of job.views) sandbox.views.add(view.name)
    const { verdict, filters } = await judgeWithFilters(
      connection,
      job.sql,
      new Set(job.views.map((v) => v.name)),
    )
    if (!verdict.ok)
      throw new JobError({ kind: 'refused', message: verdict.message, position: verdict.position })
    const { disclosure } = job
    if (job.views.some((v) => v.aggregate) && !disclosure)
      throw new Error('A job over aggregate-only views came without its output checks')
    const answer = disclosure
      ? await answerAggregate(connection, { ...job, disclosure }, verdict.views, watch)
      : await writeAnswer(connection, job, watch)
    if (watch.state.cancelled) throw new JobError({ kind: 'cancelled', message: 'cancelled' })
    if (watch.state.timedOut) throw timeLimit(job)
    return { ...answer, views: verdict.views, filters }
  } catch (error) {
    const failure = failureOf(error, job, watch.state)
    if (job.format === 'json' && failure.limit === 'memory' && !watch.interrupted)
      await probeJsonSize(connection, job, watch)
    throw new JobError(failure)
  } finally {
    watch.stop()
    connection.closeSync()
  }
}

/**
 * The sandbox on a fresh connection: the files it may read (the job's views', or every view of
 * a caller's kept sandbox; the job's answer directory the only place it may write), the job's
 * views over them, then the configuration locked for good. The caller's SQL is judged only after
 * this, so even SQL the gate wrongly let through finds nothing here but what the caller may see.
 */
export async function openSandbox(
  connection: DuckDBConnection,
  job: WorkerJob,
  readable: readonly JobView[] = job.views,
): Promise<void> {
  await connection.run(`SET allowed_paths = [${readable.map((v) => sqlString(v.file)).join(', ')}]`)
  // DuckDB writes through a temporary name beside the target: the job's private directory.
  if (FILE_FORMATS[job.format as keyof typeof FILE_FORMATS]?.copy)
    await connection.run(`SET allowed_directories = [${sqlString(`${dirname(job.answerPath)}/`)}]`)
  await createViews(connection, job.views)
  await connection.run(`SET streaming_buffer_size = '${STREAMING_BUFFER}'`)
  await connection.run('SET enable_external_access = false')
  await connection.run('SET lock_configuration = true')
}

/** The views over their files, in the sandbox's database (they outlive the connection). */
async function createViews(connection: DuckDBConnection, views: readonly JobView[]): Promise<void> {
  for (const view of views) {
    if (!/^[a-z0-9_]+$/.test(view.name)) throw new Error(`Bad view name '${view.name}'`)
    const file = `read_parquet(${sqlString(view.file)})`
    if (!view.aggregate) {
      await connection.run(`CREATE VIEW "${view.name}" AS SELECT * FROM ${file}`)
      continue
    }
    // The caller's view hides whom each row is about; only the checked query reads its units.
    await connection.run(
      `CREATE VIEW "${view.name}" AS SELECT * EXCLUDE (${UNIT_COLUMN}, ${ROW_COLUMN}) FROM ${file}`,
    )
    await connection.run(`CREATE VIEW "${unitsViewOf(view.name)}" AS SELECT * FROM ${file}`)
  }
}

/** Interrupts DuckDB at the deadline or on stop, and remembers which (DuckDB says neither). */
function watchJob(connection: DuckDBConnection, timeoutMs: number, stop: AbortSignal) {
  const state = { timedOut: false, cancelled: false }
  const timer = setTimeout(() => {
    state.timedOut = true
    connection.interrupt()
  }, timeoutMs)
  const onStop = () => {
    state.cancelled = true
    connection.interrupt()
  }
  if (stop.aborted) onStop()
  stop.addEventListener('abort', onStop)
  return {
    state,
    // An interrupted stream ends quietly with an empty chunk: the flags tell it apart.
    get interrupted() {
      return state.timedOut || state.cancelled
    },
    stop() {
      clearTimeout(timer)
      stop.removeEventListener('abort', onStop)
    },
  }
}

const timeLimit = (job: WorkerJob) => new JobError(timeLimitFailure(job.timeoutMs))

/** What the caller is told of an error: its kind, in words about their query, with no path. */
function failureOf(
  error: unknown,
  job: WorkerJob,
  state: { timedOut: boolean; cancelled: boolean },
): JobFailure {
  if (error instanceof JobError) return error.failure
  if (state.cancelled) return { kind: 'cancelled', message: 'cancelled' }
  const message = withoutPaths(error instanceof Error ? error.message : String(error), job)
  if (state.timedOut || /INTERRUPT/i.test(message)) return timeLimit(job).failure
  if (/Out of Memory|bad allocation|bad_alloc|Cannot allocate|heap out of memory/i.test(message))
    return {
      kind: 'limit',
      limit: 'memory',
      message:
        'The query needed more memory than it may use: aggregate or filter before joining or sorting, or build smaller lists and strings',
    }
  if (/File too large|EFBIG/i.test(message))
    return {
      kind: 'limit',
      limit: 'bytes',
      message:
        'The answer grew past the largest file a query may write: select fewer rows or columns, or aggregate',
    }
  if (error instanceof RangeError && /string length/i.test(message)) return jsonLimit(job).failure
  if (/^Permission Error/i.test(message))
    return {
      kind: 'refused',
      message: 'That reads something outside your views, which is not allowed',
    }
  if (
    /^(Binder|Parser|Conversion|Catalog|Invalid Input|Constraint|Out of Range|Not implemented) Error/i.test(
      message,
    )
  )
    return { kind: 'invalid', message }
  return { kind: 'failed', message }
}

/** DuckDB's message with the job's files named as the views they stand for. */
function withoutPaths(message: string, job: WorkerJob): string {
  let text = message
  for (const view of job.views) text = text.replaceAll(view.file, view.name)
  return text.replaceAll(job.answerPath, 'the answer').replaceAll(dirname(job.answerPath), '…')
}
