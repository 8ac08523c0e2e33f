import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createQueryWorkers, type QueryWorkers } from './query-workers.js'
import { JobError, type WorkerJob } from './worker-protocol.js'

// Real worker processes under real OS caps (prlimit), over a real Parquet file.
let dir: string
let workers: QueryWorkers
const file = () => join(dir, 'persons.parquet')
const job = (over: Partial<WorkerJob>): WorkerJob => ({
  sql: 'SELECT count(*) AS n FROM persons',
  views: [{ name: 'persons', file: file() }],
  format: 'json',
  answerPath: join(dir, `answer-${Math.random()}`),
  // Far enough that only the limit a test is about ends its job, on a busy machine too; the
  // tests of deadlines set their own.
  timeoutMs: 45_000,
  maxRows: 1_000,
  maxJsonBytes: 1_000_000,
  ...over,
})
/** Runs one job on a leased worker (the caller's lately, if any), answering its result or its failure. */
const run = async (over: Partial<WorkerJob>) => {
  const lease = await workers.lease(over.sandbox?.caller)
  const started = performance.now()
  try {
    const result = await lease.run(job(over)).result
    return { result, ms: performance.now() - started }
  } catch (error) {
    if (!(error instanceof JobError)) throw error
    return { failure: error.failure, ms: performance.now() - started }
  } finally {
    lease.release()
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'query-workers-'))
  const setup = await (await DuckDBInstance.create(':memory:')).connect()
  await setup.run(
    `COPY (SELECT range AS id, ['BEDOK', 'YISHUN'][range % 2 + 1] AS area FROM range(100000))
     TO '${file()}' (FORMAT parquet)`,
  )
  setup.closeSync()
  workers = createQueryWorkers({
    size: 2,
    settings: { memoryLimit: '512MB', threads: 1 },
    memoryCapBytes: 2.5e9,
    fileCapBytes: 1e6,
    killGraceMs: 500,
  })
})
afterAll(async () => {
  await workers?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('query workers', () => {
  it('answers a job in a process whose environment holds no secret', async () => {
    process.env.PSEUDONYM_KEY_FOR_THIS_TEST = 'must-not-reach-the-worker'
    // Files share their worker process (isolate: false): the variable goes with this test.
    onTestFinished(() => {
      delete process.env.PSEUDONYM_KEY_FOR_THIS_TEST
    })
    const answerPath = join(dir, 'count.json')
    const { result } = await run({ answerPath })
    expect(result).toEqual({
      columns: [{ name: 'n', type: 'BIGINT' }],
      rows: 1,
      bytes: 12,
      truncated: false,
      views: ['persons'],
      filters: [],
      inline: '[["100000"]]',
    })
    // A small JSON answer comes back inline: no file is written.
    expect(result?.inline).toBe('[["100000"]]')
    await expect(stat(answerPath)).rejects.toThrow(/ENOENT/)
    for (const pid of workers.pids()) {
      const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0')
      expect(environ.map((e) => e.split('=')[0]).sort()).toEqual(
        expect.not.arrayContaining(['PSEUDONYM_KEY_FOR_THIS_TEST', 'DATABASE_URL']),
      )
      const limits = await readFile(`/proc/${pid}/limits`, 'utf8')
      expect(limits).toMatch(/Max data size +2500000000 +2500000000 +bytes/)
      expect(limits).toMatch(/Max file size +1000000 +1000000 +bytes/)
    }
  })

  it('judges a text in the worker without running it', async () => {
    const lease = await workers.lease()
    try {
      expect(await lease.check('SELECT area FROM persons', ['persons'])).toEqual({
        ok: true,
        views: ['persons'],
      })
      expect(
        await lease.check("SELECT * FROM read_parquet('/etc/passwd')", ['persons']),
      ).toMatchObject({
        ok: false,
      })
    } finally {
      lease.release()
    }
  })

  it('cuts a JSON answer at its rows and refuses one past its bytes, naming the limit', async () => {
    const cut = await run({ sql: 'SELECT * FROM persons', maxRows: 3 })
    expect(cut.result).toMatchObject({ rows: 3, truncated: true })
    const big = await run({ sql: "SELECT repeat('x', 1000000) AS s FROM persons LIMIT 1000" })
    expect(big.failure).toEqual({
      kind: 'limit',
      limit: 'bytes',
      message:
        'The answer is larger than the 1 MB a JSON answer may hold: select fewer rows or columns, or ask for CSV, Parquet or Arrow, which stream',
    })
  })

  it('writes a JSON answer past the inline size to its file, in a directory of its own', async () => {
    const answerPath = join(dir, `json-${Math.random()}`, 'answer')
    const { result } = await run({ sql: 'SELECT * FROM persons', answerPath, maxRows: 20_000 })
    expect(result).toMatchObject({ rows: 20_000, truncated: true })
    expect(result?.inline).toBeUndefined()
    const rows = JSON.parse(await readFile(answerPath, 'utf8')) as unknown[]
    expect(rows).toHaveLength(20_000)
    expect((await stat(answerPath)).size).toBe(result?.bytes)
    expect((await stat(join(answerPath, '..'))).mode & 0o777).toBe(0o700)
  })

  it('stops a file answer at the OS file-size cap', async () => {
    const csv = await run({
      sql: "SELECT repeat('x', 1000) AS s FROM persons",
      format: 'csv',
      maxRows: 1_000_000,
    })
    expect(csv.failure).toMatchObject({ kind: 'limit', limit: 'bytes' })
  })

  it('writes CSV, NDJSON, Parquet and Arrow answers to the job’s file', async () => {
    for (const format of ['csv', 'ndjson', 'parquet', 'arrow'] as const) {
      const answerPath = join(dir, `answer.${format}`)
      const { result } = await run({
        sql: 'SELECT * FROM persons WHERE id < 10',
        format,
        answerPath,
      })
      expect(result?.rows, format).toBe(10)
      expect((await stat(answerPath)).size, format).toBe(result?.bytes)
    }
  })
})

describe('query workers stopping a job, replacing a worker', () => {
  it('ends a list blow-up at the memory cap, long before its deadline', async () => {
    const blowUp = await run({
      // 30,000 strings of 100 kB in one list: 3 GB, past the OS cap on the process (DuckDB's own
      // limit does not count a list's strings). It reaches the cap in ~4 s on a quiet machine; the
      // deadline is far enough that only the memory cap can end it on a loaded one.
      sql: "SELECT len(list_transform(range(30000), x -> repeat('x', 100000)))",
      views: [],
      timeoutMs: 100_000,
    })
    expect(blowUp.failure).toMatchObject({ kind: 'limit', limit: 'memory' })
    expect(blowUp.ms).toBeLessThan(100_000)
    // The workers still answer.
    expect((await run({})).result?.rows).toBe(1)
  }, 150_000)

  it('kills a worker that does not stop at its deadline, and replaces it', async () => {
    const lease = await workers.lease()
    const started = performance.now()
    const stuck = lease.run(
      job({
        sql: 'SELECT count(*) FROM persons a, persons b WHERE a.id + b.id = -1',
        timeoutMs: 300,
      }),
    )
    // A worker that cannot answer (stopped by the OS, or busy in a call DuckDB cannot interrupt).
    // The leased one: the pool may still list one it retired, dying, before it.
    const pid = lease.pid
    if (pid === undefined) throw new Error('the leased worker has no process id')
    process.kill(pid, 'SIGSTOP')
    const failure = await stuck.result.then(
      () => undefined,
      (e: JobError) => e.failure,
    )
    lease.release()
    expect(failure).toEqual({
      kind: 'limit',
      limit: 'time',
      message:
        'The query ran past the time limit of 0.3 s and was stopped: narrow it (filter, aggregate, LIMIT) and try again',
    })
    expect(performance.now() - started).toBeLessThan(300 + 500 + 2_000)
    expect((await run({})).result?.rows).toBe(1)
    expect(workers.pids()).not.toContain(pid)
  })

  it('replaces a worker that grew, the next lease waiting for its replacement', async () => {
    // One worker, replaced after every job: each lease waits for the last one's successor.
    const single = createQueryWorkers({
      size: 1,
      settings: { memoryLimit: '256MB', threads: 1 },
      memoryCapBytes: 2e9,
      fileCapBytes: 1e6,
      retireAboveBytes: 1,
    })
    try {
      const pids: number[] = []
      for (let i = 0; i < 3; i++) {
        const lease = await single.lease()
        pids.push(...single.pids())
        expect((await lease.run(job({})).result).rows).toBe(1)
        lease.release()
      }
      expect(new Set(pids).size).toBe(3)
    } finally {
      await single.close()
    }
  })

  it('stops a running job when asked', async () => {
    const lease = await workers.lease()
    const running = lease.run(
      job({ sql: 'SELECT count(*) FROM persons a, persons b WHERE a.id + b.id = -1' }),
    )
    setTimeout(() => running.stop(), 200)
    const failure = await running.result.then(
      () => undefined,
      (e: JobError) => e.failure,
    )
    lease.release()
    expect(failure).toEqual({ kind: 'cancelled', message: 'cancelled' })
  })
})
