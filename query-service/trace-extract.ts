import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import type { DatasetOnRecord, GrantOnRecord } from '../access/index.js'
import { quoteIdent, quoteLiteral, withConnection } from '../core/index.js'
import {
  bindHmacKey,
  grantPseudonymScope,
  type PseudonymKeys,
  type PseudonymScope,
  pseudonymSql,
  samplePseudonymScope,
} from '../keys/index.js'
import { readPseudonyms } from './leaked-file.js'

/** Whose key made the pseudonyms of one column of a file, and the grants that key served. */
export interface TraceMatch {
  /** The file's column, and the dataset's direct identifier its pseudonyms were made from. */
  column: string
  dataset: string
  identifier: string
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
 * in the file name the key that made them: for each column of pseudonyms (whatever it is called
 * now), every direct identifier of every dataset is re-masked under each key it was ever shared
 * with (every grantee's project, and the samples' key), and every key that makes some of the
 * file's pseudonyms is an answer, with its share and its grants, the strongest first: a file
 * mixing two sources shows both. Reads CSV, NDJSON, Parquet, Arrow IPC and the portal's JSON.
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
    for (const [column, sampled] of pseudonyms)
      for (const dataset of deps.datasets)
        for (const identifier of dataset.directIdentifiers) {
          const grants = deps.grants.filter(
            (g) => g.dataset.id === dataset.id && !g.inClear.includes(identifier),
          )
          const scopes = ['sample' as const, ...sampleScopes(dataset), ...grants.map(scopeOf)]
          for (const scope of new Set<PseudonymScope>(scopes)) {
            const matched = await countMade(instance, deps, dataset, identifier, scope, sampled)
            if (matched > 0)
              matches.push({
                column,
                dataset: dataset.slug,
                identifier,
                scope,
                matched,
                sampled: sampled.length,
                grants: grants
                  .filter((g) => scopeOf(g) === scope)
                  .map((g) => ({ ...g, sameColumns: sameColumns(g, columns) })),
              })
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

/** Each published version's sample key (a sample masks with a key of its own). */
const sampleScopes = (dataset: DatasetOnRecord) =>
  dataset.files.flatMap((file) => {
    const version = /v(\d+)\.parquet$/.exec(file)?.[1]
    return version ? [samplePseudonymScope(dataset.slug, Number(version))] : []
  })

const scopeOf = (grant: GrantOnRecord) =>
  grantPseudonymScope({ id: grant.id, granteeId: grant.grantee.id, project: grant.project })

/** Whether the file has exactly the columns the grant showed. */
function sameColumns(grant: GrantOnRecord, columns: string[]): boolean {
  return (
    grant.columns !== undefined && [...grant.columns].sort().join() === [...columns].sort().join()
  )
}
