import { open, readFile, stat } from 'node:fs/promises'
import { DuckDBInstance } from '@duckdb/node-api'
import { tableFromIPC } from 'apache-arrow'
import { quoteLiteral, withConnection } from '../core/index.js'

/** Distinct pseudonyms taken from each column: enough to tell one key from another. */
export const SAMPLED = 200
/** Pseudonyms drawn at random from the whole file before they are grouped by column. */
const RESERVOIR = 20_000
/** Columns looked at, at most: a file built to be slow to read is read no further. */
const MAX_COLUMNS = 200
/** Files read whole into memory (a portal JSON answer, an Arrow file) may be this large. */
const MAX_WHOLE_BYTES = 512e6
const PSEUDONYM = /^masked-[0-9a-f]{16}$/

/** A file's columns, and a sample of the pseudonyms in each column that holds any. */
export interface FilePseudonyms {
  columns: string[]
  pseudonyms: Map<string, string[]>
}

/**
 * The pseudonyms in a file that left the platform, in whatever form it left: CSV (leniently: a
 * stray row does not hide the rest), NDJSON, Parquet, Arrow IPC (stream or file), or a portal JSON
 * answer. Each column's sample is drawn from the whole file, not its first rows, so a file that
 * puts other pseudonyms first does not hide the rest.
 */
export async function readPseudonyms(path: string): Promise<FilePseudonyms> {
  const head = Buffer.alloc(8)
  const file = await open(path, 'r')
  await file.read(head, 0, 8, 0).finally(() => file.close())
  if (head.readUInt32LE(0) === 0xffffffff || head.subarray(0, 6).toString() === 'ARROW1')
    return fromValues(await arrowColumns(path))
  const text = head.toString('utf8').trimStart()
  if (text.startsWith('{"ok"') || text.startsWith('{ "ok"'))
    return fromValues(await portalAnswer(path))
  const source =
    head.subarray(0, 4).toString() === 'PAR1'
      ? `read_parquet(${quoteLiteral(path)})`
      : text.startsWith('{')
        ? `read_json(${quoteLiteral(path)}, format = 'newline_delimited', ignore_errors = true)`
        : `read_csv(${quoteLiteral(path)}, header = true, all_varchar = true, strict_mode = false, null_padding = true, ignore_errors = true)`
  return sampleWithDuckDb(source)
}

/** One pass over the file: every value that is a pseudonym, sampled at random, by column. */
async function sampleWithDuckDb(source: string): Promise<FilePseudonyms> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' })
  try {
    return await withConnection(
      () => instance.connect(),
      async (connection) => {
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)
        const columns = described.getRows().map((r) => String(r[0]))
        const looked = columns.slice(0, MAX_COLUMNS).map((c) => `"${c.replaceAll('"', '""')}"`)
        const reader = await connection.runAndReadAll(
          `SELECT name, list(DISTINCT value ORDER BY hash(value))[1:${SAMPLED}] FROM (
             SELECT * FROM (
               SELECT name, value FROM (
                 UNPIVOT (SELECT ${looked.map((c) => `${c}::VARCHAR AS ${c}`).join(', ')} FROM ${source})
                 ON COLUMNS(*) INTO NAME name VALUE value
               ) WHERE regexp_full_match(value, 'masked-[0-9a-f]{16}')
             ) USING SAMPLE reservoir(${RESERVOIR} ROWS) REPEATABLE (7)
           ) GROUP BY name ORDER BY name`,
        )
        const pseudonyms = new Map(
          reader.getRowsJS().map((r) => [String(r[0]), (r[1] as unknown[]).map(String)] as const),
        )
        return { columns, pseudonyms }
      },
    )
  } finally {
    instance.closeSync()
  }
}

/** Columns' values as read by JS, sampled as DuckDB samples the others. */
function fromValues(file: { columns: string[]; values: Map<string, unknown[]> }): FilePseudonyms {
  const pseudonyms = new Map<string, string[]>()
  for (const column of file.columns.slice(0, MAX_COLUMNS)) {
    const found = [
      ...new Set(
        (file.values.get(column) ?? []).filter(
          (v): v is string => typeof v === 'string' && PSEUDONYM.test(v),
        ),
      ),
    ]
    if (found.length > 0) pseudonyms.set(column, spread(found, SAMPLED))
  }
  return { columns: file.columns, pseudonyms }
}

/** Up to `n` values taken evenly from the whole list, not from its start. */
function spread(values: string[], n: number): string[] {
  if (values.length <= n) return values
  return Array.from({ length: n }, (_, i) => values[Math.floor((i * values.length) / n)] as string)
}

async function arrowColumns(path: string) {
  await refuseHuge(path)
  // Stream or file format alike.
  const table = tableFromIPC(await readFile(path))
  const columns = table.schema.fields.map((f) => f.name)
  return {
    columns,
    values: new Map(
      columns.slice(0, MAX_COLUMNS).map((c) => [c, [...(table.getChild(c)?.toArray() ?? [])]]),
    ),
  }
}

/** The portal's own JSON answer: `{ ok, data: { columns: [{ name }], rows: [[…]] } }`. */
async function portalAnswer(path: string) {
  await refuseHuge(path)
  const answer = JSON.parse(await readFile(path, 'utf8')) as {
    data?: { columns?: { name: string }[]; rows?: unknown[][] }
  }
  const columns = (answer.data?.columns ?? []).map((c) => String(c.name))
  const rows = answer.data?.rows ?? []
  return {
    columns,
    values: new Map(columns.map((c, i) => [c, rows.map((row) => row[i])])),
  }
}

async function refuseHuge(path: string) {
  const { size } = await stat(path)
  if (size > MAX_WHOLE_BYTES)
    throw new Error(
      `${path} is ${(size / 1e6).toFixed(0)} MB: convert it to CSV or Parquet to trace it`,
    )
}
