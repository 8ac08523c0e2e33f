import { DuckDBInstance } from '@duckdb/node-api'
import { tableFromIPC } from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { arrowStream } from './arrow-ipc.js'

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
    const result = await connection.stream(sql)
    const names = result.columnNames()
    const types = result.columnTypes()
    async function* chunks() {
      for await (const chunk of result) if (chunk.rowCount > 0) yield chunk
    }
    const bytes = await new Response(arrowStream(chunks(), () => ({ names, types }))).arrayBuffer()
    const table = tableFromIPC(new Uint8Array(bytes))
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
      'amount:Float64',
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
      amount: 12.5,
      // Other types travel as DuckDB's lossless JSON (BIGINTs as strings).
      pair: '["4999","4999"]',
    })
    expect(row(4999).day).toBe(Date.UTC(2026, 0, 1) + (4999 % 365) * 86_400_000)
    expect(row(4999).seen_at).toBe(Date.UTC(2026, 0, 1) + 4999 * 1000)
    expect(row(0)).toMatchObject({ name: null, age: null })
    expect(table.getChild('name')?.nullCount).toBe(Math.ceil(5000 / 7))
    expect(table.getChild('age')?.nullCount).toBe(1000)
  })
})
