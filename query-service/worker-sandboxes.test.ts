import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createQueryWorkers, type QueryWorkers } from './query-workers.js'
import { newInstance, runJob } from './worker-job.js'
import { JobError, type SandboxSpec, type WorkerJob } from './worker-protocol.js'
import { createSandboxCache, type Sandbox, sandboxKeyOf } from './worker-sandboxes.js'

// A caller's sandbox kept between their JSON jobs: found again only by the same caller over the
// same files, still locked to those files, never kept after a job that failed.
let dir: string
let workers: QueryWorkers
const persons = () => join(dir, 'persons.parquet')
const places = () => join(dir, 'places.parquet')
const spec = (caller: string, over: Partial<Record<string, string>> = {}): SandboxSpec => ({
  caller,
  views: [
    { name: 'persons', file: over.persons ?? persons() },
    { name: 'places', file: over.places ?? places() },
  ],
})
const job = (over: Partial<WorkerJob>): WorkerJob => ({
  sql: 'SELECT count(*) AS n FROM persons',
  views: [{ name: 'persons', file: persons() }],
  format: 'json',
  answerPath: join(dir, `json-${Math.random()}`, 'answer'),
  timeoutMs: 10_000,
  maxRows: 1_000,
  maxJsonBytes: 1_000_000,
  ...over,
})
const run = async (over: Partial<WorkerJob>) => {
  const lease = await workers.lease(over.sandbox?.caller)
  try {
    return await lease.run(job(over)).result
  } catch (error) {
    if (error instanceof JobError) return error.failure
    throw error
  } finally {
    lease.release()
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'worker-sandboxes-'))
  const setup = await (await DuckDBInstance.create(':memory:')).connect()
  await setup.run(`COPY (SELECT range AS id FROM range(100)) TO '${persons()}' (FORMAT parquet)`)
  await setup.run(`COPY (SELECT 'BEDOK' AS area) TO '${places()}' (FORMAT parquet)`)
  setup.closeSync()
  workers = createQueryWorkers({
    size: 1,
    settings: { memoryLimit: '256MB', threads: 1, keptSandboxes: 4 },
    memoryCapBytes: 2e9,
    fileCapBytes: 1e6,
  })
})
afterAll(async () => {
  await workers?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('the key a sandbox is kept under', () => {
  it('names the caller and every file, so another caller or a changed file never finds it', () => {
    const alice = sandboxKeyOf(job({ sandbox: spec('alice') }))
    expect(alice).toBeDefined()
    expect(sandboxKeyOf(job({ sandbox: spec('alice') }))).toBe(alice)
    expect(sandboxKeyOf(job({ sandbox: spec('bob') }))).not.toBe(alice)
    expect(sandboxKeyOf(job({ sandbox: spec('alice', { places: persons() }) }))).not.toBe(alice)
  })

  it('keeps none for a file answer, an aggregate-only view, or a view the spec does not hold', () => {
    expect(sandboxKeyOf(job({}))).toBeUndefined()
    expect(sandboxKeyOf(job({ sandbox: spec('alice'), format: 'csv' }))).toBeUndefined()
    const aggregate = { name: 'persons', file: persons(), aggregate: true }
    expect(
      sandboxKeyOf(job({ sandbox: { caller: 'alice', views: [aggregate] }, views: [aggregate] })),
    ).toBeUndefined()
    const other = { name: 'persons', file: places() }
    expect(sandboxKeyOf(job({ sandbox: spec('alice'), views: [other] }))).toBeUndefined()
  })
})

describe('a kept sandbox', () => {
  it('makes the views a job reads as it needs them, and stays locked to its files', async () => {
    const instance = await newInstance({ memoryLimit: '256MB', threads: 1 })
    const sandbox: Sandbox = { instance, key: 'k', locked: false, views: new Set() }
    const stop = new AbortController().signal
    const first = await runJob(sandbox, job({ sandbox: spec('alice') }), stop)
    expect(first.inline).toBe('[["100"]]')
    const second = await runJob(
      sandbox,
      job({
        sql: 'SELECT area FROM places',
        views: [{ name: 'places', file: places() }],
        sandbox: spec('alice'),
      }),
      stop,
    )
    expect(second.inline).toBe('[["BEDOK"]]')
    const connection = await instance.connect()
    try {
      const outside = join(dir, 'outside.parquet')
      await expect(connection.run(`SELECT * FROM read_parquet('${outside}')`)).rejects.toThrow(
        /Permission Error/,
      )
      await expect(connection.run("SET allowed_paths = ['/']")).rejects.toThrow(/locked/)
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  })

  it('closes the least recently used beyond its bound', async () => {
    const cache = createSandboxCache(1)
    const made = async (key: string): Promise<Sandbox> => ({
      instance: await newInstance({ memoryLimit: '64MB', threads: 1 }),
      key,
      locked: true,
      views: new Set(),
    })
    const a = await made('a')
    cache.keep(a)
    cache.keep(await made('b'))
    expect(cache.size()).toBe(1)
    expect(cache.take('a')).toBeUndefined()
    await expect(a.instance.connect()).rejects.toThrow()
    expect(cache.take('b')?.key).toBe('b')
    expect(cache.take('b')).toBeUndefined()
  })
})

describe('sandboxes kept by a worker', () => {
  it('serve the same caller over the same files again, and nobody else', async () => {
    expect(await run({ sandbox: spec('carol') })).toMatchObject({ inline: '[["100"]]' })
    expect(await run({ sandbox: spec('carol') })).toMatchObject({ reused: true })
    expect(await run({ sandbox: spec('dave') })).not.toHaveProperty('reused')
    const changed = spec('carol', { places: persons() })
    expect(await run({ sandbox: changed })).not.toHaveProperty('reused')
    expect(await run({})).not.toHaveProperty('reused')
  })

  it('closes a sandbox whose job failed rather than keeping it', async () => {
    expect(await run({ sandbox: spec('erin') })).not.toHaveProperty('reused')
    expect(
      await run({
        sandbox: spec('erin'),
        sql: "SELECT count(*) FROM persons WHERE id = error('boom')",
      }),
    ).toMatchObject({ kind: 'invalid' })
    expect(await run({ sandbox: spec('erin') })).not.toHaveProperty('reused')
    expect(await run({ sandbox: spec('erin') })).toMatchObject({ reused: true })
  })
})
