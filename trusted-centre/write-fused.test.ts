import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DuckDBConnection,
  type DuckDBInstance,
  openDuckDb,
  quoteLiteral,
  readRows,
} from '../core/index.js'
import { PERSON_ADDRESS_PIPELINE } from './pipelines/person-address-pipeline.js'
import { fusedWriteFor, writeFused } from './write-fused.js'

// A fusion of 100,000 records of 20,000 people: the newest record of each, by person.
const RECORDS = 100_000
const pipeline = {
  ...PERSON_ADDRESS_PIPELINE,
  key: ['person', 'newest'],
  sql: `SELECT person, max(updated) AS newest, count(*) AS records FROM person_records GROUP BY person`,
}

describe('writing a fused candidate', () => {
  let duckdb: DuckDBInstance
  let conn: DuckDBConnection
  let dir: string
  let input: string
  const write = async (how: 'one-statement' | 'table-first') => {
    const file = join(dir, `${how}.parquet`)
    const candidate = await writeFused(conn, pipeline, file, how)
    return { candidate, bytes: await readFile(file) }
  }

  beforeAll(async () => {
    duckdb = await openDuckDb({ threads: 2, memoryLimit: '256MB' })
    conn = await duckdb.connect()
    dir = await mkdtemp(join(tmpdir(), 'write-fused-'))
    input = join(dir, 'records.parquet')
    await conn.run(`COPY (SELECT 'P' || (i % 20000) AS person, DATE '2025-01-01' + (i % 365)::INTEGER AS updated
                          FROM range(${RECORDS}) t(i))
                    TO ${quoteLiteral(input)} (FORMAT parquet)`)
    await conn.run(
      `CREATE VIEW person_records AS SELECT * FROM read_parquet(${quoteLiteral(input)})`,
    )
  })
  afterAll(async () => {
    conn.closeSync()
    duckdb.closeSync()
    await rm(dir, { recursive: true, force: true })
  })

  it('chooses one statement when the inputs fit the memory limit, a table first when not', async () => {
    // 100,000 rows of 2 columns: 200,000 values.
    expect(await fusedWriteFor(conn, [input])).toBe('one-statement')
    await conn.run(`SET memory_limit = '4MB'`)
    try {
      expect(await fusedWriteFor(conn, [input])).toBe('table-first')
    } finally {
      await conn.run(`SET memory_limit = '256MB'`)
    }
    await conn.run(`SET memory_limit = '-1'`)
    try {
      expect(await fusedWriteFor(conn, [input])).toBe('one-statement')
    } finally {
      await conn.run(`SET memory_limit = '256MB'`)
    }
  })

  it('writes the same file both ways, sorted by the key, and leaves no table behind', async () => {
    const once = await write('one-statement')
    const tableFirst = await write('table-first')
    expect(tableFirst.bytes.equals(once.bytes)).toBe(true)
    expect(tableFirst.candidate).toMatchObject({ rowCount: 20_000, schema: once.candidate.schema })
    const rows = await readRows<{ person: string }>(
      conn,
      `SELECT person FROM read_parquet(${quoteLiteral(tableFirst.candidate.file)})`,
    )
    expect(rows.map((r) => r.person)).toEqual(rows.map((r) => r.person).sort())
    const tables = await readRows(
      conn,
      `SELECT 1 FROM duckdb_tables() WHERE table_name = 'pipeline_rows'`,
    )
    expect(tables).toEqual([])
  })
})
