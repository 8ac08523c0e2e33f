import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { RecordBatchReader } from 'apache-arrow'
import type { DatasetOnRecord, GrantOnRecord } from '../catalog/index.js'
import {
  bindHmacKey,
  grantPseudonymScope,
  type PseudonymKeys,
  type PseudonymScope,
  pseudonymSql,
  quoteIdent,
  quoteLiteral,
  withConnection,
} from '../core/index.js'

/** Distinct pseudonyms read from each column of a file: enough to tell one key from another. */
const SAMPLED = 200
const PSEUDONYM = /^masked-[0-9a-f]{16}$/

/** Whose key made the pseudonyms of one column of a file, and the grants that key served. */
export interface TraceMatch {
  column: string
  dataset: string
  scope: PseudonymScope
  /** Of the pseudonyms sampled from the column, how many this key makes from the dataset. */
  matched: number
  sampled: number
  /** The grants made under this key on this dataset (none for a sample's key). */
  grants: (GrantOnRecord & { sameColumns: boolean })[]
}

export interface ExtractTrace {
  columns: string[]
  /** Columns holding pseudonyms, with how many were sampled. */
  pseudonymColumns: { column: string; sampled: number }[]
  matches: TraceMatch[]
}

/**
 * Traces a file that left the platform (a downloaded extract, a query answer) to the grant it was
 * made for. Every grant masks direct identifiers with its project's own key, so the pseudonyms
 * in the file name the key that made them: for each column of pseudonyms, each dataset with a
 * direct identifier of that name is re-masked under each key it was ever shared with (every
 * grant's project, and the samples' key), and the keys that make the file's pseudonyms are the
 * answer, with their grants. Reads CSV, NDJSON, Parquet and Arrow IPC files.
 */
export async function traceExtract(
  path: string,
  deps: {
    dataDir: string
    keys: PseudonymKeys
    grants: GrantOnRecord[]
    datasets: DatasetOnRecord[]
  },
): Promise<ExtractTrace> {
  const { columns, pseudonyms } = await readPseudonyms(path)
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' })
  const matches: TraceMatch[] = []
  try {
    for (const [column, sampled] of pseudonyms) {
      for (const dataset of deps.datasets.filter((d) => d.directIdentifiers.includes(column))) {
        const grants = deps.grants.filter(
          (g) => g.dataset.id === dataset.id && !g.inClear.includes(column),
        )
        const scopes = new Set<PseudonymScope>(['sample', ...grants.map(scopeOf)])
        for (const scope of scopes) {
          const matched = await countMade(instance, deps, dataset, column, scope, sampled)
          if (matched === 0) continue
          matches.push({
            column,
            dataset: dataset.slug,
            scope,
            matched,
            sampled: sampled.length,
            grants: grants
              .filter((g) => scopeOf(g) === scope)
              .map((g) => ({ ...g, sameColumns: sameColumns(g, columns) })),
          })
        }
      }
    }
  } finally {
    instance.closeSync()
  }
  matches.sort((a, b) => b.matched / b.sampled - a.matched / a.sampled)
  return {
    columns,
    pseudonymColumns: [...pseudonyms].map(([column, s]) => ({ column, sampled: s.length })),
    matches,
  }
}

/** How many of the sampled pseudonyms the scope's key makes from the dataset's published values. */
async function countMade(
  instance: DuckDBInstance,
  deps: { dataDir: string; keys: PseudonymKeys },
  dataset: DatasetOnRecord,
  column: string,
  scope: PseudonymScope,
  sampled: string[],
): Promise<number> {
  const files = dataset.files.map((f) => quoteLiteral(join(deps.dataDir, f))).join(', ')
  return withConnection(
    () => instance.connect(),
    async (connection) => {
      await bindHmacKey(connection, 'trace_key', deps.keys.keyOf(scope))
      const reader = await connection.runAndReadAll(
        `SELECT count(DISTINCT p) FROM (
           SELECT ${pseudonymSql('trace_key', quoteIdent(column))} AS p
           FROM read_parquet([${files}], union_by_name = true)
         ) WHERE p IN (${sampled.map(quoteLiteral).join(', ')})`,
      )
      return Number(reader.getRows()[0]?.[0] ?? 0)
    },
  )
}

const scopeOf = (grant: GrantOnRecord) =>
  grantPseudonymScope({ id: grant.id, granteeId: grant.grantee.id, project: grant.project })

/** Whether the file has exactly the columns the grant showed (every column: its dataset's). */
function sameColumns(grant: GrantOnRecord, columns: string[]): boolean {
  return (
    grant.columns !== undefined && [...grant.columns].sort().join() === [...columns].sort().join()
  )
}

/** The file's columns, and up to SAMPLED distinct pseudonyms of each column that has them. */
async function readPseudonyms(
  path: string,
): Promise<{ columns: string[]; pseudonyms: Map<string, string[]> }> {
  const head = Buffer.alloc(8)
  const file = await open(path, 'r')
  await file.read(head, 0, 8, 0).finally(() => file.close())
  if (head.readUInt32LE(0) === 0xffffffff) return readArrowPseudonyms(path)
  const source =
    head.subarray(0, 4).toString() === 'PAR1'
      ? `read_parquet(${quoteLiteral(path)})`
      : head.toString().trimStart().startsWith('{')
        ? `read_json(${quoteLiteral(path)}, format = 'newline_delimited')`
        : `read_csv(${quoteLiteral(path)}, header = true, all_varchar = true)`
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' })
  try {
    return await withConnection(
      () => instance.connect(),
      async (connection) => {
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)
        const columns = described.getRows().map((r) => String(r[0]))
        const pseudonyms = new Map<string, string[]>()
        for (const column of columns) {
          const reader = await connection.runAndReadAll(
            `SELECT DISTINCT ${quoteIdent(column)}::VARCHAR FROM ${source}
             WHERE regexp_full_match(${quoteIdent(column)}::VARCHAR, '${PSEUDONYM.source.slice(1, -1)}')
             LIMIT ${SAMPLED}`,
          )
          const values = reader.getRows().map((r) => String(r[0]))
          if (values.length > 0) pseudonyms.set(column, values)
        }
        return { columns, pseudonyms }
      },
    )
  } finally {
    instance.closeSync()
  }
}

async function readArrowPseudonyms(
  path: string,
): Promise<{ columns: string[]; pseudonyms: Map<string, string[]> }> {
  const reader = await RecordBatchReader.from(createReadStream(path))
  await reader.open()
  const columns = reader.schema.fields.map((f) => f.name)
  const found = new Map<string, Set<string>>(columns.map((c) => [c, new Set()]))
  for await (const batch of reader) {
    for (const column of columns) {
      const seen = found.get(column) ?? new Set()
      const vector = batch.getChild(column)
      for (let i = 0; vector && i < vector.length && seen.size < SAMPLED; i++) {
        const value = vector.get(i)
        if (typeof value === 'string' && PSEUDONYM.test(value)) seen.add(value)
      }
    }
    if ([...found.values()].every((s) => s.size >= SAMPLED)) break
  }
  return {
    columns,
    pseudonyms: new Map(
      [...found].filter(([, s]) => s.size > 0).map(([column, s]) => [column, [...s]]),
    ),
  }
}
