import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlString } from './answer-formats.js'
import { csvCell, csvCellSql } from './csv-cells.js'
import { createQueryWorkers, type QueryWorkers } from './query-workers.js'
import type { WorkerJob } from './worker-protocol.js'

/** Text cells and how a CSV holds them. */
const CELLS: [string, string][] = [
  ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ['+1', `"'+1"`],
  ['-1+2', `"'-1+2"`],
  ['@SUM(A1)', `"'@SUM(A1)"`],
  ['\tcmd', `"'\tcmd"`],
  ['\rcmd', `"'\rcmd"`],
  ['plain text', 'plain text'],
  ['a=1+2', 'a=1+2'],
  [' =1', ' =1'],
  ["'=1", "'=1"],
  ['Tan, Ah Kow', '"Tan, Ah Kow"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['＝1', '＝1'],
]

describe('CSV cells', () => {
  it('puts a single quote before a text a spreadsheet would read as a formula, and quotes it', () => {
    for (const [text, cell] of CELLS) expect(csvCell(text), JSON.stringify(text)).toBe(cell)
  })

  it('is the same rule in DuckDB SQL (NULL an empty field, an empty text quoted)', async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    try {
      const values = CELLS.map(([text]) => `(${sqlString(text)})`).join(', ')
      const rows = (
        await connection.runAndReadAll(
          `SELECT ${csvCellSql('t', { neutralise: true })} FROM (VALUES ${values}, (''), (NULL)) v(t)`,
        )
      ).getRows()
      expect(rows.map((r) => r[0])).toEqual([...CELLS.map(([, cell]) => cell), '""', null])
    } finally {
      connection.closeSync()
    }
  })
})

// Real worker processes writing CSV answers with DuckDB's COPY, compared with DuckDB's own CSV.
describe('CSV answers of a query worker', () => {
  let dir: string
  let workers: QueryWorkers
  let duck: Awaited<ReturnType<DuckDBInstance['connect']>>
  const file = () => join(dir, 'cells.parquet')
  const answer = async (sql: string) => {
    const answerPath = join(dir, `answer-${Math.random()}.csv`)
    const job: WorkerJob = {
      sql,
      views: [{ name: 'cells', file: file() }],
      format: 'csv',
      answerPath,
      timeoutMs: 30_000,
      maxRows: 1_000_000,
      maxJsonBytes: 1_000_000,
    }
    const lease = await workers.lease()
    try {
      await lease.run(job).result
    } finally {
      lease.release()
    }
    return readFile(answerPath, 'utf8')
  }
  /** The same rows as DuckDB's own COPY writes them, without any neutralising. */
  const duckdbCsv = async (sql: string) => {
    const path = join(dir, `duckdb-${Math.random()}.csv`)
    await duck.run(
      `COPY (${sql.replaceAll('FROM cells', `FROM read_parquet(${sqlString(file())})`)}) TO ${sqlString(path)} (FORMAT csv, HEADER true)`,
    )
    return readFile(path, 'utf8')
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csv-cells-'))
    duck = await (await DuckDBInstance.create(':memory:')).connect()
    const values = CELLS.map(
      ([text], i) =>
        `(${i}, ${sqlString(text)}, ${-5 * i}, ${-1.5 * i}::DOUBLE, DATE '2024-01-02' + ${i}, ${i % 2 === 0}, [${sqlString(text)}, 'b'], {'k': ${sqlString(text)}}, encode(${sqlString(text)}))`,
    )
    await duck.run(
      `COPY (SELECT * FROM (VALUES ${values.join(', ')}, (99, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL), (100, NULL, -1, -0.5, NULL, false, [], NULL, NULL))
         v(id, note, amount, ratio, day, flag, tags, detail, raw)) TO ${sqlString(file())} (FORMAT parquet)`,
    )
    workers = createQueryWorkers({
      size: 1,
      settings: { memoryLimit: '512MB', threads: 1 },
      memoryCapBytes: 2.5e9,
      fileCapBytes: 1e8,
    })
  })
  afterAll(async () => {
    await workers?.close()
    duck?.closeSync()
    await rm(dir, { recursive: true, force: true })
  })

  it('neutralises every text cell and leaves numbers, dates and booleans byte for byte', async () => {
    const csv = await answer('SELECT id, note, amount, ratio, day, flag FROM cells ORDER BY id')
    const lines = csv.split('\n')
    expect(lines[0]).toBe('id,note,amount,ratio,day,flag')
    expect(lines[1]).toBe(`0,"'=HYPERLINK(""http://x"",""y"")",0,0.0,2024-01-02,true`)
    expect(lines[2]).toBe(`1,"'+1",-5,-1.5,2024-01-03,false`)
    expect(lines[3]).toBe(`2,"'-1+2",-10,-3.0,2024-01-04,true`)
    expect(lines[4]).toBe(`3,"'@SUM(A1)",-15,-4.5,2024-01-05,false`)
    expect(lines[5]).toBe(`4,"'\tcmd",-20,-6.0,2024-01-06,true`)
    expect(lines[6]).toBe(`5,"'\rcmd",-25,-7.5,2024-01-07,false`)
    // Every other line is exactly DuckDB's own CSV.
    const own = (
      await duckdbCsv('SELECT id, note, amount, ratio, day, flag FROM cells ORDER BY id')
    ).split('\n')
    expect(lines.slice(7)).toEqual(own.slice(7))
    expect(own.slice(1, 7).every((line, i) => line !== lines[i + 1])).toBe(true)
  })

  it('writes harmless text, empty texts, NULLs, lists, structs and blobs as DuckDB does', async () => {
    const harmless = 'SELECT * FROM cells WHERE id >= 6 ORDER BY id'
    expect(await answer(harmless)).toBe(await duckdbCsv(harmless))
  })

  it('writes lists and structs as DuckDB does, and neutralises blobs as text', async () => {
    const nested = 'SELECT tags, detail FROM cells ORDER BY id'
    expect(await answer(nested)).toBe(await duckdbCsv(nested))
    expect(await answer('SELECT raw FROM cells WHERE id = 1')).toBe(`raw\n"'+1"\n`)
  })

  it('keeps the order asked for and column names as before, and neutralises the header too', async () => {
    const csv = await answer(
      `SELECT a.id, b.id, 'x' AS "=cmd" FROM cells a JOIN cells b ON a.id = b.id ORDER BY a.id DESC`,
    )
    const lines = csv.trim().split('\n')
    // A duplicate name is renamed by DuckDB as it always was.
    expect(lines[0]).toBe(`id,id_1,"'=cmd"`)
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual(
      [100, 99, ...CELLS.map((_, i) => i)].sort((x, y) => y - x),
    )
  })
})
