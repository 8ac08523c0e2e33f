import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { tableFromIPC, util } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { arrowStream } from './arrow-ipc.js'

/** A query's answer through our Arrow IPC stream, read back with apache-arrow. */
async function arrowOf(connection: DuckDBConnection, sql: string) {
  const result = await connection.stream(sql)
  const names = result.columnNames()
  const types = result.columnTypes()
  async function* chunks() {
    for await (const chunk of result) if (chunk.rowCount > 0) yield chunk
  }
  const bytes = await new Response(arrowStream(chunks(), () => ({ names, types }))).arrayBuffer()
  return tableFromIPC(new Uint8Array(bytes))
}

describe('Arrow IPC from DuckDB chunks', () => {
  it('keeps values, types and nulls of every kind of column, across chunks', async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    const sql = `SELECT range AS id,
        CASE WHEN range % 7 = 0 THEN NULL ELSE 'pa-' || range::VARCHAR END AS name,
        CASE WHEN range % 5 = 0 THEN NULL ELSE (range % 100)::INTEGER END AS age,
        range::DOUBLE / 4 AS ratio, (range % 3)::SMALLINT AS small,
        DATE '2026-01-01' + (range % 365)::INTEGER AS day,
        TIMESTAMP '2026-01-01' + to_seconds(range) AS seen_at,
        range % 2 = 0 AS even, 12.5::DECIMAL(10, 2) AS amount, [range, range] AS pair
      FROM range(5000)`
    const table = await arrowOf(connection, sql)
    expect(table.numRows).toBe(5000)
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'id:Int64',
      'name:Utf8',
      'age:Int32',
      'ratio:Float64',
      'small:Int16',
      'day:Date32<DAY>',
      'seen_at:Timestamp<MICROSECOND>',
      'even:Bool',
      'amount:Decimal[10e+2]',
      'pair:Utf8',
    ])
    const row = (i: number) => table.get(i)?.toJSON() as Record<string, unknown>
    expect(row(4999)).toMatchObject({
      id: 4999n,
      name: 'pa-4999',
      age: 99,
      ratio: 1249.75,
      small: 1,
      even: false,
      // Other types travel as DuckDB's lossless JSON (BIGINTs as strings).
      pair: '["4999","4999"]',
    })
    expect(row(4999).day).toBe(Date.UTC(2026, 0, 1) + (4999 % 365) * 86_400_000)
    expect(row(4999).seen_at).toBe(Date.UTC(2026, 0, 1) + 4999 * 1000)
    expect(util.bigNumToNumber(table.getChild('amount')?.get(4999), 2)).toBe(12.5)
    expect(row(0)).toMatchObject({ name: null, age: null })
    expect(table.getChild('name')?.nullCount).toBe(Math.ceil(5000 / 7))
    expect(table.getChild('age')?.nullCount).toBe(1000)
  })

  it('copies text exactly however DuckDB holds it: inline, back to back, shared, out of order', async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    const dir = await mkdtemp(join(tmpdir(), 'arrow-text-'))
    // Parquet dictionary pages make many rows point at the same few strings, out of order.
    await connection.run(`COPY (SELECT range AS id,
        ['Ang Mo Kio planning area', 'Bukit Timah — 武吉知马', 'Queenstown estate'][1 + range % 3] AS area
      FROM range(6000)) TO '${join(dir, 'areas.parquet')}'`)
    const sql = `SELECT
        CASE WHEN range % 11 = 0 THEN NULL WHEN range % 13 = 0 THEN ''
          ELSE 'masked-' || left(sha256(range::VARCHAR), 16 + (range % 5)::INTEGER) END AS long_text,
        CASE WHEN range % 2 = 0 THEN 'short' ELSE 'not short at all ' || range END AS mixed,
        'the same long constant text' AS constant,
        'naïve café ' || range || ' 🚀' AS unicode,
        area
      FROM range(6000) JOIN read_parquet('${join(dir, 'areas.parquet')}') ON id = range`
    const expected = (await connection.runAndReadAll(sql)).getRowObjectsJS()
    const table = await arrowOf(connection, sql)
    expect(table.numRows).toBe(6000)
    expect(table.toArray().map((row) => row.toJSON())).toEqual(expected)
    expect(table.getChild('long_text')?.nullCount).toBe(Math.ceil(6000 / 11))
  })

  it('keeps decimals exact at every width, negative and null ones included', async () => {
    const connection = await (await DuckDBInstance.create(':memory:')).connect()
    const sql = `SELECT
        CASE WHEN range % 9 = 0 THEN NULL ELSE (((range % 1999) - 999) / 10)::DECIMAL(4, 1) END AS d4,
        (((range * 7919) % 2000000 - 1000000) / 100)::DECIMAL(9, 2) AS d9,
        ((range - 2500) * 1234567.891)::DECIMAL(18, 3) AS d18,
        (range::HUGEINT * 10000000000000000000000 - 1)::DECIMAL(38, 4) * -1 AS d38
      FROM range(5000)`
    const expected = (await connection.runAndReadAll(sql)).getRows()
    const table = await arrowOf(connection, sql)
    expect(table.schema.fields.map((f) => String(f.type))).toEqual([
      'Decimal[4e+1]',
      'Decimal[9e+2]',
      'Decimal[18e+3]',
      'Decimal[38e+4]',
    ])
    // Arrow's decimals are the scaled integers: compare them digit for digit with DuckDB's.
    const unscaled = (value: unknown) =>
      value === null ? null : (value as { value: bigint }).value.toString()
    const arrowUnscaled = (column: number, i: number) => {
      const value = table.getChildAt(column)?.get(i)
      return value === null ? null : String(value)
    }
    for (const i of [0, 1, 9, 999, 2047, 2048, 4999])
      for (let column = 0; column < 4; column++)
        expect(
          arrowUnscaled(column, i),
          `row ${i} column ${table.schema.fields[column]?.name}`,
        ).toBe(unscaled(expected[i]?.[column] ?? null))
    expect(table.getChild('d4')?.nullCount).toBe(Math.ceil(5000 / 9))
  })
})
