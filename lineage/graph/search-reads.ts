import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { LineageTables } from '../lineage-tables.js'
import { datasetNodeId, type EntityId, entityKey, jobNodeId } from './entity-id.js'
import { aliasesOf } from './graph-reads.js'

export interface SearchOptions {
  filter?: 'DATASET' | 'JOB'
  limit: number
  /** The catalogue's namespace, and which of these names in it the caller may not discover. */
  hidden: { namespace: string; among(names: readonly string[]): Promise<readonly string[]> }
}

export interface SearchResult {
  type: 'DATASET' | 'JOB'
  namespace: string
  name: string
  updatedAt: Date
  nodeId: string
  aliases: EntityId[]
}

/** `q` as a LIKE pattern matches it: its wildcards and escape character taken literally. */
const escapeLike = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`)

/**
 * Datasets and jobs whose name or namespace holds `q` (any case), as Marquez's
 * `GET /api/v1/search`: names starting with it first, then the most recently updated. The
 * caller's hidden catalogue datasets are left out in the query, so counts hide them too: only the
 * matches in the catalogue's namespace are asked of the catalogue, never all of it. Datasets come
 * with their aliases, to link them to the catalogue.
 */
export async function searchLineage(
  db: Kysely<LineageTables>,
  q: string,
  options: SearchOptions,
): Promise<{ totalCount: number; results: SearchResult[] }> {
  const escaped = escapeLike(q)
  const like = `%${escaped}%`
  const prefix = `${escaped}%`
  const matching = sql`(name ilike ${like} or namespace ilike ${like})`
  const hidden = options.filter === 'JOB' ? [] : await hiddenMatches(db, matching, options.hidden)
  const hiddenNames = hidden.length > 0 ? [...hidden] : ['']
  const datasets = sql`select 'DATASET' as type, namespace, name, updated_at from lineage_datasets
        where ${matching}
          and not (namespace = ${options.hidden.namespace} and name = any(${hiddenNames}::text[]))`
  const jobs = sql`select 'JOB' as type, namespace, name, updated_at from lineage_jobs
        where (name ilike ${like} or namespace ilike ${like})`
  const matches =
    options.filter === 'DATASET'
      ? datasets
      : options.filter === 'JOB'
        ? jobs
        : sql`${datasets} union all ${jobs}`
  const [found, total] = await Promise.all([
    sql<{ type: 'DATASET' | 'JOB'; namespace: string; name: string; updated_at: Date }>`
          select * from (${matches}) m
          order by (name ilike ${prefix}) desc, updated_at desc, name
          limit ${options.limit}`.execute(db),
    sql<{ n: string }>`select count(*) as n from (${matches}) m`.execute(db),
  ])
  const aliases = await aliasesOf(
    db,
    found.rows.filter((r) => r.type === 'DATASET'),
  )
  return {
    totalCount: Number(total.rows[0]?.n ?? 0),
    results: found.rows.map((row) => {
      const id = { namespace: row.namespace, name: row.name }
      return {
        type: row.type,
        namespace: row.namespace,
        name: row.name,
        updatedAt: new Date(row.updated_at),
        nodeId: row.type === 'DATASET' ? datasetNodeId(id) : jobNodeId(id),
        aliases: aliases.get(entityKey(id)) ?? [],
      }
    }),
  }
}

/** The matching datasets of the catalogue's namespace that the caller may not discover. */
async function hiddenMatches(
  db: Kysely<LineageTables>,
  matching: RawBuilder<unknown>,
  hidden: SearchOptions['hidden'],
): Promise<readonly string[]> {
  const { rows } = await sql<{ name: string }>`select name from lineage_datasets
        where namespace = ${hidden.namespace} and ${matching}`.execute(db)
  return rows.length === 0 ? [] : hidden.among(rows.map((row) => row.name))
}
