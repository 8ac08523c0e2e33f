import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlString } from './answer-formats.js'
import { withoutPlatformSql } from './answer-writers.js'
import { csvCell, csvCellSql } from './csv-cells.js'
import { createQueryWorkers, type QueryWorkers } from './query-workers.js'
import { JobError, type WorkerJob } from './worker-protocol.js'

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
          `SELECT ${csvCellSql('t')} FROM (VALUES ${values}, (''), (NULL)) v(t)`,
        )
      ).getRows()
      expect(rows.map((r) => r[0])).toEqual([...CELLS.map(([, cell]) => cell), '""', null])
    } finally {
      connection.closeSync()
    }
  })

  it("never quotes the SQL the platform adds to a failing query, only the caller's own", async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    const failure = (sql: string) =>
      connection.runAndReadAll(sql).then(
        () => expect.unreachable(sql),
        (error: Error) => error,
      )
    try {
      // A JSON column not cast to VARCHAR first, as the CSV cells once took it: DuckDB's error
      // quotes the cells' SQL.
      const caller = `SELECT to_json('=x') AS j`
      const ours = await failure(`SELECT ${csvCellSql('c0')} FROM (\n${caller}\n) AS answer(c0)`)
      expect(ours.message).toMatch(
        /^Conversion Error: Malformed JSON[\s\S]*\nLINE 1: .*contains\(c0, chr/,
      )
      const told = withoutPlatformSql(ours, caller) as Error
      expect(told.message).toMatch(/^Conversion Error: The answer could not be written/)
      expect(told.message).not.toMatch(/CASE|unicode|LINE|Malformed/)
      // The caller's own mistake, quoted from their own lines: told as DuckDB words it.
      const mistake = `SELECT CAST('abc' AS INTEGER) AS n`
      const theirs = await failure(`SELECT * FROM (\n${mistake}\n) LIMIT 5`)
      expect(theirs.message).toContain(`LINE 2: ${mistake}`)
      expect(withoutPlatformSql(theirs, mistake)).toBe(theirs)
      // Cut short ("..." either side) on a long line, still the caller's.
      const long = `SELECT ${'1, '.repeat(60)}CAST('abc' AS INTEGER), ${'2, '.repeat(60)}3`
      const cut = await failure(`SELECT * FROM (\n${long}\n) LIMIT 5`)
      expect(cut.message).toMatch(/LINE 2: \.\.\..*\.\.\.\n/)
      expect(withoutPlatformSql(cut, long)).toBe(cut)
      // No quoted line at all: nothing to hide.
      const bare = await failure(`SELECT error('boom')`)
      expect(withoutPlatformSql(bare, 'anything')).toBe(bare)
    } finally {
      connection.closeSync()
    }
  })
})

/**
 * The cells in a Parquet file and one query worker, for the describe block it is called in: its
 * CSV answers, and the same rows as DuckDB itself writes them.
 */
function useCellWorkers() {
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
  /** Each column as DuckDB casts it to VARCHAR, by the formula rule (NULL empty, '' as `""`). */
  const asText = async (sql: string) => {
    const reader = await duck.runAndReadAll(
      `SELECT COLUMNS(*)::VARCHAR FROM (${sql.replaceAll('FROM cells', `FROM read_parquet(${sqlString(file())})`)})`,
    )
    const lines = reader
      .getRows()
      .map((row) =>
        row.map((v) => (v === null ? '' : v === '' ? '""' : csvCell(String(v)))).join(','),
      )
    return `${[reader.columnNames().join(','), ...lines].join('\n')}\n`
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
  return { answer, asText, duckdbCsv }
}

// Real worker processes writing CSV answers with DuckDB's COPY, compared with DuckDB's own CSV.
describe('CSV answers of a query worker', () => {
  const { answer, asText, duckdbCsv } = useCellWorkers()

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

  it('neutralises every type but numbers, dates, times, booleans and UUIDs, written as text', async () => {
    // The red team's cells: a UNION and a VARIANT carried formulas through, quoted or bare.
    expect(
      await answer(`SELECT union_value(t := '=HYPERLINK("http://x","y")') AS u FROM cells LIMIT 1`),
    ).toBe(`u\n"'=HYPERLINK(""http://x"",""y"")"\n`)
    expect(await answer(`SELECT '=1+1'::VARIANT AS v FROM cells LIMIT 1`)).toBe(`v\n"'=1+1"\n`)
    // Every row, every kind of column that is not plain, against DuckDB's own VARCHAR cast.
    const kinds = `SELECT id, union_value(t := note) AS u, note::VARIANT AS v, amount::VARIANT AS vn,
        to_json(note) AS j, to_json(amount) AS jn, CAST(note AS ENUM('', ${CELLS.map(([t]) => sqlString(t)).join(', ')})) AS e,
        [note, 'b'] AS l, {'k': note} AS s, MAP {'k': note} AS m, [id, amount]::BIGINT[2] AS a,
        ('1' || (id % 2)::VARCHAR)::BIT AS b, raw, NULL AS n, 'POINT(1 2)'::GEOMETRY AS g
      FROM cells ORDER BY id`
    // A number inside a VARIANT or JSON is text like any other: a negative one is neutralised.
    const csv = await answer(kinds)
    expect(csv).toBe(await asText(kinds))
    expect(csv.split('\n')[2]).toMatch(
      /^1,"'\+1","'\+1","'-5","""\+1""","'-5","'\+1","\[\+1, b\]",/,
    )
    // Lists, structs, maps, arrays, bits and geometries never start a formula: as DuckDB writes them.
    const nested = `SELECT [note, 'b'] AS l, {'k': note} AS s, MAP {'k': note} AS m,
        [id, amount]::BIGINT[2] AS a, ('1' || (id % 2)::VARCHAR)::BIT AS b, 'POINT(1 2)'::GEOMETRY AS g
      FROM cells ORDER BY id`
    expect(await answer(nested)).toBe(await duckdbCsv(nested))
  })

  it('reads a JSON column as text: formulas neutralised, never a failure', async () => {
    const json = `SELECT to_json('=x') AS j, '"=x"'::JSON AS k, '-1'::JSON AS n, '{"a": "=x"}'::JSON AS o,
        to_json(note) AS t FROM cells WHERE id IN (0, 99, 100) ORDER BY id`
    expect(await answer(json)).toBe(
      [
        'j,k,n,o,t',
        `"""=x""","""=x""","'-1","{""a"": ""=x""}","""=HYPERLINK(\\""http://x\\"",\\""y\\"")"""`,
        `"""=x""","""=x""","'-1","{""a"": ""=x""}",""""""`,
        `"""=x""","""=x""","'-1","{""a"": ""=x""}",`,
        '',
      ].join('\n'),
    )
  })

  it('writes every plain type byte for byte as DuckDB does, beside a text column too', async () => {
    const plain = `SELECT id, amount, ratio, day, flag, amount::TINYINT AS t8, amount::SMALLINT AS t16,
        amount::INTEGER AS t32, id::UTINYINT AS u8, id::USMALLINT AS u16, id::UINTEGER AS u32,
        id::UBIGINT AS u64, amount::HUGEINT * 100000000000000000000 AS h, id::UHUGEINT AS uh,
        amount::BIGNUM AS big, ratio::FLOAT AS f, ratio::DECIMAL(9, 3) AS dec,
        CASE WHEN id = 1 THEN '-infinity'::DATE WHEN id = 2 THEN 'infinity'::DATE ELSE day END AS d2,
        CASE WHEN id = 3 THEN 'nan'::DOUBLE WHEN id = 4 THEN '-inf'::DOUBLE ELSE ratio END AS r2,
        TIME '12:34:56.789' AS tm, '12:34:56.789123'::TIME_NS AS tns, '12:00:00-05:30'::TIMETZ AS ttz,
        day::TIMESTAMP + to_seconds(id) AS ts, (day::TIMESTAMP)::TIMESTAMP_S AS tss,
        (day::TIMESTAMP)::TIMESTAMP_MS AS tms, (day::TIMESTAMP)::TIMESTAMP_NS AS tsn,
        TIMESTAMPTZ '2024-01-02 03:04:05+00' AS tz, to_seconds(amount) AS span,
        ('00000000-0000-0000-0000-00000000000' || (id % 10)::VARCHAR)::UUID AS uuid
      FROM cells ORDER BY id`
    expect(await answer(plain)).toBe(await duckdbCsv(plain))
    const beside = plain.replace('SELECT id,', `SELECT id, 'text' AS x,`)
    expect(await answer(beside)).toBe(await duckdbCsv(beside))
  })

  it("tells a caller's mistake in DuckDB's words, quoting their own SQL", async () => {
    const mistake = 'SELECT CAST(note AS INTEGER) AS n, [note] AS l FROM cells'
    const failure = await answer(mistake).then(
      () => expect.unreachable(),
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(JobError)
    expect((failure as JobError).failure).toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(
        /^Conversion Error: [\s\S]*\nLINE \d+: SELECT CAST\(note AS INTEGER\)/,
      ),
    })
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
