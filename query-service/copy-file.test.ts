import { access } from 'node:fs/promises'
import { dirname } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, it } from 'vitest'
import { copyFile } from './copy-file.js'
import { QueryLimitError } from './errors.js'
import { copySelect } from './run-query.js'
import type { Sandbox, SandboxLimits } from './sandbox.js'

const LIMITS: SandboxLimits = { timeoutMs: 30_000, memoryLimit: '256MB', threads: 1, maxRows: 10 }

/** A plain DuckDB instance in a sandbox's shape: these tests are about the file, not the views. */
async function plainSandbox(): Promise<Sandbox> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' })
  const connection = await instance.connect()
  return {
    connection,
    views: [],
    close() {
      connection.closeSync()
      instance.closeSync()
    },
  }
}

/** A CSV answer; `followAfterMs` 0 starts it as soon as DuckDB has written anything. */
async function copied(select: string, limits = LIMITS, followAfterMs?: number) {
  let path = ''
  const file = await copyFile(
    plainSandbox,
    (sandbox, target, signal) => {
      path = target
      return copySelect(sandbox, select, target, 'csv', limits, signal)
    },
    { followAfterMs },
  )
  return { ...file, dir: () => dirname(path) }
}

const gone = (path: string) =>
  access(path).then(
    () => false,
    () => true,
  )

describe('copied files', () => {
  it('streams the whole file, counts its rows and bytes, then deletes it', async () => {
    const file = await copied('SELECT range AS n, range * 2 AS twice FROM range(200000)')
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
    await expect(copied('SELECT no_such_column FROM range(3)')).rejects.toThrow(/no_such_column/)
    await expect(
      copied('SELECT count(*) FROM range(100000000000) a', { ...LIMITS, timeoutMs: 200 }),
    ).rejects.toBeInstanceOf(QueryLimitError)
  })

  it('breaks the transfer, not shortens the file, when DuckDB fails after the answer began', async () => {
    const file = await copied(
      `SELECT CASE WHEN range < 3000000 THEN range ELSE error('the source went away') END AS n
       FROM range(4000000)`,
      LIMITS,
      0,
    )
    await expect(new Response(file.body).text()).rejects.toThrow(/the source went away/)
    const end = await file.done
    expect(end.completed).toBe(false)
    expect(String(end.error)).toMatch(/the source went away/)
    expect(await gone(file.dir())).toBe(true)
  })

  it('stops DuckDB when the client stops reading, and deletes the file', async () => {
    const file = await copied(
      'SELECT range AS n, md5(range::VARCHAR) AS h FROM range(50000000)',
      LIMITS,
      0,
    )
    const reader = file.body.getReader()
    const first = await reader.read()
    expect(first.value?.byteLength).toBeGreaterThan(0)
    await reader.cancel()
    const end = await file.done
    // Cancelled long before 50 million rows: DuckDB was interrupted, not left to finish.
    expect(end).toMatchObject({ completed: false, rows: 0 })
    expect(end.error).toBeUndefined()
    expect(await gone(file.dir())).toBe(true)
  })
})
