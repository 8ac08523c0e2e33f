import { access, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamAnswerFile } from './answer-file.js'
import { errorOfFailure, QueryLimitError } from './errors.js'
import { createQueryWorkers, type QueryWorkers } from './query-workers.js'
import { JobError } from './worker-protocol.js'

let dir: string
let workers: QueryWorkers

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'answer-file-'))
  const setup = await (await DuckDBInstance.create(':memory:')).connect()
  await setup.run(`COPY (SELECT range AS n FROM range(50000000)) TO '${join(dir, 'n.parquet')}'`)
  setup.closeSync()
  workers = createQueryWorkers({
    size: 1,
    settings: { memoryLimit: '256MB', threads: 1 },
    memoryCapBytes: 1.5e9,
    fileCapBytes: 1e10,
  })
})
afterAll(async () => {
  await workers?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A CSV answer written by a real worker; `followAfterMs` 0 starts it as soon as anything is written. */
async function copied(
  select: string,
  options: { timeoutMs?: number; followAfterMs?: number } = {},
) {
  let path = ''
  const lease = await workers.lease()
  const file = await streamAnswerFile(
    (target) => {
      path = target
      const job = lease.run({
        sql: select,
        views: [{ name: 'numbers', file: join(dir, 'n.parquet') }],
        format: 'csv',
        answerPath: target,
        timeoutMs: options.timeoutMs ?? 30_000,
        maxRows: Number.MAX_SAFE_INTEGER,
        maxJsonBytes: 1e6,
      })
      const rows = job.result
        .then((r) => r.rows)
        .catch((error: unknown) => {
          throw error instanceof JobError ? errorOfFailure(error.failure) : error
        })
        .finally(() => lease.release())
      return { rows, stop: () => job.stop() }
    },
    { directory: join(dir, 'copies'), followAfterMs: options.followAfterMs },
  ).catch((error: unknown) => {
    lease.release()
    throw error
  })
  return { ...file, dir: () => dirname(path) }
}

const gone = (path: string) =>
  access(path).then(
    () => false,
    () => true,
  )

describe('copied files', () => {
  it('streams the whole file, counts its rows and bytes, then deletes it', async () => {
    const file = await copied('SELECT n, n * 2 AS twice FROM numbers WHERE n < 200000')
    const text = await new Response(file.body).text()
    const lines = text.trimEnd().split('\n')
    expect(lines[0]).toBe('n,twice')
    expect(lines).toHaveLength(200_001)
    expect(lines[200_000]).toBe('199999,399998')
    const end = await file.done
    expect(end).toMatchObject({ rows: 200_000, bytes: Buffer.byteLength(text), completed: true })
    expect(end.error).toBeUndefined()
    expect(await gone(file.dir())).toBe(true)
  })

  it('finishes a small answer even if the client never reads it, so its slot is freed', async () => {
    const file = await copied('SELECT 42 AS answer')
    expect(await file.done).toMatchObject({ rows: 1, completed: true })
    expect(await gone(file.dir())).toBe(true)
    expect(await new Response(file.body).text()).toBe('answer\n42\n')
  })

  it('refuses at once, with the proper error, a query that fails before writing', async () => {
    await expect(copied('SELECT no_such_column FROM numbers')).rejects.toThrow(/no_such_column/)
    await expect(
      copied('SELECT count(*) FROM numbers a, numbers b WHERE a.n + b.n = -1', { timeoutMs: 200 }),
    ).rejects.toBeInstanceOf(QueryLimitError)
  })

  it('breaks the transfer, not shortens the file, when DuckDB fails after the answer began', async () => {
    const file = await copied(
      `SELECT CASE WHEN n < 3000000 THEN n ELSE error('the source went away') END AS n
       FROM numbers WHERE n < 4000000`,
      { followAfterMs: 0 },
    )
    await expect(new Response(file.body).text()).rejects.toThrow(/the source went away/)
    const end = await file.done
    expect(end.completed).toBe(false)
    expect(String(end.error)).toMatch(/the source went away/)
    expect(await gone(file.dir())).toBe(true)
  })

  it('stops DuckDB when the client stops reading, and deletes the file', async () => {
    const file = await copied('SELECT n, md5(n::VARCHAR) AS h FROM numbers', { followAfterMs: 0 })
    const reader = file.body.getReader()
    const first = await reader.read()
    expect(first.value?.byteLength).toBeGreaterThan(0)
    await reader.cancel()
    const end = await file.done
    // Cancelled long before 50 million rows: the worker was stopped, not left to finish.
    expect(end).toMatchObject({ completed: false, rows: 0 })
    expect(end.error).toBeUndefined()
    expect(await gone(file.dir())).toBe(true)
  })
})
