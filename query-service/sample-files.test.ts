import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conversionJob } from './conversion-job.js'
import { fileBody } from './file-body.js'
import type { QueryLimits } from './query-limits.js'
import { createQueryWorkers, type QueryWorkers } from './query-workers.js'
import { createSampleFiles, type OpenedSample } from './sample-files.js'

// Real worker processes over real Parquet samples, as the query service converts them.
let dir: string
let workers: QueryWorkers
const limits: QueryLimits = {
  timeoutMs: 30_000,
  memoryLimit: '256MB',
  threads: 1,
  maxRows: 1_000,
  maxStreamRows: 1_000_000,
  maxJsonBytes: 1_000_000,
  maxStreamBytes: 1_000_000,
}

/** Writes a sample of `rows` rows whose text leads with a formula, as a Trusted Centre would. */
async function writeSample(name: string, rows: number) {
  const file = join(dir, `${name}.parquet`)
  const setup = await (await DuckDBInstance.create(':memory:')).connect()
  await setup.run(
    `COPY (SELECT range AS id, '=1+' || range AS note FROM range(${rows})) TO '${file}' (FORMAT parquet)`,
  )
  setup.closeSync()
  return { name: 'notes_sample', file }
}

/** The sample files under test, counting the workers they lease and the pool slots they take. */
function counted(keep?: number) {
  const count = { leases: 0, slots: 0 }
  const copies = join(dir, `copies-${Math.random()}`)
  const samples = createSampleFiles({
    copies,
    workers: {
      ...workers,
      lease: () => {
        count.leases++
        return workers.lease()
      },
    },
    limits,
    ...(keep === undefined ? {} : { keep }),
  })
  const acquire = async () => {
    count.slots++
    return () => {}
  }
  const keptDir = join(copies, 'samples')
  return { samples, count, acquire, keptDir, kept: () => readdir(keptDir) }
}

/** What a kept sample holds, read out as a download reads it. */
async function readOut(opened: OpenedSample) {
  const { body, done } = await fileBody(
    opened.handle,
    limits.maxStreamBytes,
    async () => opened.rows,
  )
  const text = await new Response(body).text()
  return { text, end: await done }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sample-files-'))
  workers = createQueryWorkers({
    size: 2,
    settings: { memoryLimit: limits.memoryLimit, threads: 1 },
    memoryCapBytes: 2.5e9,
    fileCapBytes: limits.maxStreamBytes,
  })
})
afterAll(async () => {
  await workers?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('sample files', () => {
  it('converts a sample once, by a worker under a pool slot, then reads it out with neither', async () => {
    const sample = await writeSample('once', 3)
    const { samples, count, acquire } = counted()
    const first = await readOut(await samples.open(sample, 'csv', acquire))
    expect(first.text).toBe('id,note\n0,"\'=1+0"\n1,"\'=1+1"\n2,"\'=1+2"\n')
    expect(first.end).toEqual({ rows: 3, bytes: first.text.length, completed: true })
    expect(count).toEqual({ leases: 1, slots: 1 })
    const again = await readOut(await samples.open(sample, 'csv', acquire))
    expect(again).toEqual(first)
    expect(count).toEqual({ leases: 1, slots: 1 })
  })

  it('holds the bytes a conversion at each download writes, in every format', async () => {
    const sample = await writeSample('formats', 50)
    const { samples, acquire } = counted()
    for (const format of ['csv', 'ndjson', 'arrow'] as const) {
      const answerPath = join(await mkdtemp(join(dir, 'direct-')), 'answer')
      const lease = await workers.lease()
      await lease.run(conversionJob(sample, format, answerPath, limits)).result
      lease.release()
      const opened = await samples.open(sample, format, acquire)
      const { body } = await fileBody(opened.handle, limits.maxStreamBytes, async () => 0)
      expect(Buffer.from(await new Response(body).arrayBuffer())).toEqual(
        await readFile(answerPath),
      )
    }
  })

  it('makes one file for downloads that ask at once', async () => {
    const sample = await writeSample('at-once', 10)
    const { samples, count, acquire } = counted()
    const opened = await Promise.all([1, 2, 3].map(() => samples.open(sample, 'csv', acquire)))
    const texts = await Promise.all(opened.map(async (o) => (await readOut(o)).text))
    expect(new Set(texts).size).toBe(1)
    expect(count.leases).toBe(1)
  })

  it('converts the sample again once its file has changed, never reading a stale one', async () => {
    const sample = await writeSample('changed', 2)
    const { samples, count, acquire } = counted()
    expect((await readOut(await samples.open(sample, 'csv', acquire))).end.rows).toBe(2)
    await writeSample('changed', 4)
    // Even with the same modification time, the new file (another inode and size) is another sample.
    const when = new Date('2026-01-01T00:00:00Z')
    await utimes(sample.file, when, when)
    expect((await readOut(await samples.open(sample, 'csv', acquire))).end.rows).toBe(4)
    expect(count.leases).toBe(2)
  })

  it('removes the least recently read past its bound, never from under a download reading it', async () => {
    const a = await writeSample('kept-a', 2)
    const b = await writeSample('kept-b', 3)
    const { samples, count, acquire, kept } = counted(1)
    const openA = await samples.open(a, 'csv', acquire)
    // B's file pushes A's out; a download reading A already still reads it whole.
    expect((await readOut(await samples.open(b, 'csv', acquire))).end.rows).toBe(3)
    expect((await readOut(openA)).end).toMatchObject({ rows: 2, completed: true })
    expect(count.leases).toBe(2)
    expect((await readOut(await samples.open(a, 'csv', acquire))).end.rows).toBe(2)
    expect(count.leases).toBe(3)
    // Only the last one made is kept, and no job's directory is left behind.
    expect(await kept()).toHaveLength(1)
  })

  it('makes a kept file again when something else removed it (a temp-directory cleaner)', async () => {
    const sample = await writeSample('cleaned', 2)
    const { samples, count, acquire, kept, keptDir } = counted()
    await readOut(await samples.open(sample, 'csv', acquire))
    for (const name of await kept()) await rm(join(keptDir, name))
    expect((await readOut(await samples.open(sample, 'csv', acquire))).end.rows).toBe(2)
    expect(count.leases).toBe(2)
  })

  it('refuses a sample file that is not there before taking a slot', async () => {
    const { samples, count, acquire } = counted()
    const missing = { name: 'gone_sample', file: join(dir, 'gone.parquet') }
    await expect(samples.open(missing, 'csv', acquire)).rejects.toThrow(/ENOENT/)
    expect(count).toEqual({ leases: 0, slots: 0 })
  })

  it('keeps nothing of a conversion that failed, and tries again at the next download', async () => {
    const broken = { name: 'broken_sample', file: join(dir, 'broken.parquet') }
    await writeFile(broken.file, 'not a parquet file')
    const { samples, count, acquire, kept } = counted()
    await expect(samples.open(broken, 'csv', acquire)).rejects.toThrow()
    await expect(samples.open(broken, 'csv', acquire)).rejects.toThrow()
    expect(count).toEqual({ leases: 2, slots: 2 })
    expect(await kept()).toEqual([])
  })
})
