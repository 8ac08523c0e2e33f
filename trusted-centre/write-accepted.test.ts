import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DuckDBConnection } from '../core/index.js'
import { readRows } from '../core/index.js'
import { writeAccepted } from './write-accepted.js'

// The staging write on its own, over tables made as an ingest makes them: rows 2 and 3 of six
// refused. The verdicts are stored in the delivery's order, or (as a scan may give them) not.
let dir: string
let conn: DuckDBConnection

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'write-accepted-'))
  conn = await (await DuckDBInstance.create(':memory:')).connect()
  await conn.run(`CREATE TEMP VIEW typed AS
    SELECT range + 1 AS __row, 'v' || (range + 1) AS "value" FROM range(6)`)
  await conn.run(`CREATE TEMP TABLE refused AS
    SELECT * FROM (VALUES (2, 'bad'), (3, 'bad')) AS r("row", reason)`)
})
afterAll(async () => {
  conn?.closeSync()
  await rm(dir, { recursive: true, force: true })
})

const verdicts = (order: string) =>
  conn.run(`CREATE OR REPLACE TEMP TABLE verdicts AS
    SELECT range + 1 AS "row", CASE WHEN range + 1 IN (2, 3) THEN 'bad' END AS reason
    FROM range(6) ORDER BY ${order}`)

const staged = async (file: string) =>
  readRows<{ _row: number; _run: string; value: string }>(
    conn,
    `SELECT _row::INTEGER AS _row, _run, "value" FROM read_parquet('${file}')`,
  )

describe('writing the accepted rows of an ingest', () => {
  const accepted = [1, 4, 5, 6].map((n) => ({ _row: n, _run: 'run_1', value: `v${n}` }))

  it('pairs the verdicts with the rows by position when both are in the delivery’s order', async () => {
    await verdicts('"row"')
    const file = join(dir, 'in-order.parquet')
    await writeAccepted(conn, [{ name: 'value' }], 'run_1', file)
    expect(await staged(file)).toEqual(accepted)
  })

  it('writes the same rows, in order, when the verdicts are out of step with the rows', async () => {
    await verdicts('"row" DESC')
    const file = join(dir, 'out-of-step.parquet')
    await writeAccepted(conn, [{ name: 'value' }], 'run_1', file)
    expect(await staged(file)).toEqual(accepted)
  })
})
