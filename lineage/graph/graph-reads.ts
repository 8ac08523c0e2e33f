import { type Kysely, type Selectable, sql } from 'kysely'
import type { Facets } from '../events.js'
import type { LineageTables } from '../lineage-tables.js'
import type { DatasetWriters } from './column-bridge.js'
import type { ColumnEdge, ColumnEdgeSource, ColumnRef } from './column-walk.js'
import { type EntityId, entityKey } from './entity-id.js'
import {
  type DatasetDetail,
  type DatasetSummary,
  type JobSummary,
  schemaFields,
} from './graph-nodes.js'
import type { EdgeSource, Frontier, LineageEdge, WalkStart } from './walk.js'

type Db = Kysely<LineageTables>
type EntityTable = 'lineage_datasets' | 'lineage_jobs'

/** What every answer says of a dataset, from its stored row. */
function rowToDatasetSummary(row: Selectable<LineageTables['lineage_datasets']>): DatasetSummary {
  const id = { namespace: row.namespace, name: row.name }
  return {
    id,
    ...id,
    fields: schemaFields(row.facets),
    facets: row.facets,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/**
 * The (namespace, name) a Marquez-style node id names. Namespaces hold colons
 * (`postgres://h:5432`), so the id is not split blindly: each split is tried against the store.
 */
async function resolve(db: Db, table: EntityTable, rest: string): Promise<EntityId | undefined> {
  const candidates: EntityId[] = []
  for (let at = rest.indexOf(':'); at !== -1; at = rest.indexOf(':', at + 1))
    candidates.push({ namespace: rest.slice(0, at), name: rest.slice(at + 1) })
  if (candidates.length === 0) return undefined
  const found = await db
    .selectFrom(table)
    .select(['namespace', 'name'])
    .where((eb) =>
      eb.or(
        candidates.map((c) => eb.and([eb('namespace', '=', c.namespace), eb('name', '=', c.name)])),
      ),
    )
    .execute()
  // The longest namespace that exists wins (`a:b:c` is more likely `a:b` + `c` if both exist).
  return found.sort((a, b) => b.namespace.length - a.namespace.length)[0]
}

/** The stored dataset or job a node id (`dataset:<ns>:<name>`, `job:<ns>:<name>`) names. */
export async function resolveNode(db: Db, nodeId: string): Promise<WalkStart | undefined> {
  if (nodeId.startsWith('dataset:')) {
    const id = await resolve(db, 'lineage_datasets', nodeId.slice('dataset:'.length))
    return id ? { kind: 'dataset' as const, id } : undefined
  }
  if (nodeId.startsWith('job:')) {
    const id = await resolve(db, 'lineage_jobs', nodeId.slice('job:'.length))
    return id ? { kind: 'job' as const, id } : undefined
  }
  return undefined
}

/** The stored rows of some jobs or datasets, in one query. */
async function entityRows(db: Db, table: EntityTable, ids: readonly EntityId[]) {
  if (ids.length === 0) return []
  return db
    .selectFrom(table)
    .selectAll()
    .where((eb) =>
      eb.or(ids.map((d) => eb.and([eb('namespace', '=', d.namespace), eb('name', '=', d.name)]))),
    )
    .execute()
}

async function edgesOf(db: Db, frontier: Frontier): Promise<LineageEdge[]> {
  if (frontier.datasets.length + frontier.jobs.length === 0) return []
  const rows = await db
    .selectFrom('lineage_edges')
    .select(['job_namespace', 'job_name', 'dataset_namespace', 'dataset_name', 'direction'])
    .where((eb) =>
      eb.or([
        ...frontier.datasets.map((d) =>
          eb.and([eb('dataset_namespace', '=', d.namespace), eb('dataset_name', '=', d.name)]),
        ),
        ...frontier.jobs.map((j) =>
          eb.and([eb('job_namespace', '=', j.namespace), eb('job_name', '=', j.name)]),
        ),
      ]),
    )
    .execute()
  return rows.map((row) => ({
    job: { namespace: row.job_namespace, name: row.job_name },
    dataset: { namespace: row.dataset_namespace, name: row.dataset_name },
    direction: row.direction,
  }))
}

async function columnEdgesOf(db: Db, frontier: readonly ColumnRef[]): Promise<ColumnEdge[]> {
  if (frontier.length === 0) return []
  const rows = await db
    .selectFrom('lineage_column_edges')
    .selectAll()
    .where((eb) =>
      eb.or(
        frontier.map((ref) =>
          eb.and([
            eb('namespace', '=', ref.dataset.namespace),
            eb('name', '=', ref.dataset.name),
            ...(ref.field ? [eb('field', '=', ref.field)] : []),
          ]),
        ),
      ),
    )
    // Each column's inputs in key order, so the answer does not depend on the query plan.
    .orderBy('namespace')
    .orderBy('name')
    .orderBy('field')
    .orderBy('input_namespace')
    .orderBy('input_name')
    .orderBy('input_field')
    .execute()
  return rows.map((row) => ({
    dataset: { namespace: row.namespace, name: row.name },
    field: row.field,
    input: { namespace: row.input_namespace, name: row.input_name },
    inputField: row.input_field,
    transformations: row.transformations,
  }))
}

/** What the jobs writing these datasets read, and whether any reported their column lineage. */
async function writersOf(db: Db, ids: readonly EntityId[]): Promise<DatasetWriters[]> {
  if (ids.length === 0) return []
  const [written, traced] = await Promise.all([
    db
      .selectFrom('lineage_edges as w')
      .innerJoin('lineage_edges as r', (join) =>
        join
          .onRef('r.job_namespace', '=', 'w.job_namespace')
          .onRef('r.job_name', '=', 'w.job_name'),
      )
      .leftJoin('lineage_datasets as d', (join) =>
        join
          .onRef('d.namespace', '=', 'r.dataset_namespace')
          .onRef('d.name', '=', 'r.dataset_name'),
      )
      .select([
        'w.dataset_namespace as namespace',
        'w.dataset_name as name',
        'w.job_namespace as job_namespace',
        'w.job_name as job_name',
        'r.dataset_namespace as input_namespace',
        'r.dataset_name as input_name',
        'd.facets as input_facets',
      ])
      .where('w.direction', '=', 'output')
      .where('r.direction', '=', 'input')
      .where((eb) =>
        eb.or(
          ids.map((d) =>
            eb.and([
              eb('w.dataset_namespace', '=', d.namespace),
              eb('w.dataset_name', '=', d.name),
            ]),
          ),
        ),
      )
      .orderBy('r.dataset_namespace')
      .orderBy('r.dataset_name')
      .execute(),
    db
      .selectFrom('lineage_column_edges')
      .select(['namespace', 'name'])
      .distinct()
      .where((eb) =>
        eb.or(ids.map((d) => eb.and([eb('namespace', '=', d.namespace), eb('name', '=', d.name)]))),
      )
      .execute(),
  ])
  const hasLineage = new Set(traced.map(entityKey))
  return ids.map((id) => ({
    dataset: id,
    hasColumnLineage: hasLineage.has(entityKey(id)),
    inputs: written
      .filter((row) => row.namespace === id.namespace && row.name === id.name)
      .map((row) => ({
        dataset: { namespace: row.input_namespace, name: row.input_name },
        job: { namespace: row.job_namespace, name: row.job_name },
        fields: row.input_facets?.schema ? schemaFields(row.input_facets).map((f) => f.name) : null,
      })),
  }))
}

/**
 * Each dataset's other names: the `symlinks` it lists and the datasets whose `symlinks` list it
 * (how another tool's name for a file or table links to our catalogue entry), either way.
 */
export async function aliasesOf(db: Db, ids: readonly EntityId[]) {
  const aliases = new Map<string, EntityId[]>(ids.map((id) => [entityKey(id), []]))
  if (ids.length === 0) return aliases
  const listed = (facets: Facets) =>
    ((facets.symlinks as { identifiers?: EntityId[] } | undefined)?.identifiers ?? []).map((s) => ({
      namespace: s.namespace,
      name: s.name,
    }))
  const [own, listing] = await Promise.all([
    entityRows(db, 'lineage_datasets', ids),
    db
      .selectFrom('lineage_datasets')
      .select(['namespace', 'name', 'facets'])
      .where((eb) =>
        eb.or(
          ids.map(
            (id) =>
              sql<boolean>`facets -> 'symlinks' -> 'identifiers' @> ${JSON.stringify([{ namespace: id.namespace, name: id.name }])}::jsonb`,
          ),
        ),
      )
      .execute(),
  ])
  for (const row of own) aliases.get(entityKey(row))?.push(...listed(row.facets))
  for (const row of listing)
    for (const alias of listed(row.facets))
      aliases.get(entityKey(alias))?.push({ namespace: row.namespace, name: row.name })
  return aliases
}

/** One dataset: its summary, newest versions, the jobs writing and reading it, its aliases. */
export async function datasetDetail(db: Db, id: EntityId): Promise<DatasetDetail | undefined> {
  const row = await db
    .selectFrom('lineage_datasets')
    .selectAll()
    .where('namespace', '=', id.namespace)
    .where('name', '=', id.name)
    .executeTakeFirst()
  if (!row) return undefined
  const [versions, edges, aliases] = await Promise.all([
    db
      .selectFrom('lineage_dataset_versions')
      .select(['version', 'run_id', 'created_at'])
      .where('namespace', '=', id.namespace)
      .where('name', '=', id.name)
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute(),
    db
      .selectFrom('lineage_edges')
      .select(['job_namespace', 'job_name', 'direction'])
      .where('dataset_namespace', '=', id.namespace)
      .where('dataset_name', '=', id.name)
      .execute(),
    aliasesOf(db, [id]),
  ])
  const jobsThat = (direction: 'input' | 'output') =>
    edges
      .filter((e) => e.direction === direction)
      .map((e) => ({ namespace: e.job_namespace, name: e.job_name }))
  return {
    ...rowToDatasetSummary(row),
    versions: versions.map((v) => ({
      version: v.version,
      runId: v.run_id,
      createdAt: v.created_at,
    })),
    writtenBy: jobsThat('output'),
    readBy: jobsThat('input'),
    aliases: aliases.get(entityKey(id)) ?? [],
  }
}

/** The lineage tables as the walks read them: every edge of a whole frontier in one query. */
export function edgeSource(db: Db): EdgeSource & ColumnEdgeSource {
  return {
    edgesOf: (frontier) => edgesOf(db, frontier),
    columnEdgesOf: (frontier) => columnEdgesOf(db, frontier),
    writersOf: (ids) => writersOf(db, ids),
  }
}

/** The stored datasets among these, in one query. */
export async function datasetSummaries(db: Db, ids: readonly EntityId[]) {
  return (await entityRows(db, 'lineage_datasets', ids)).map(rowToDatasetSummary)
}

/** The stored jobs among these, in one query. */
export async function jobSummaries(db: Db, ids: readonly EntityId[]): Promise<JobSummary[]> {
  return (await entityRows(db, 'lineage_jobs', ids)).map((row) => ({
    id: { namespace: row.namespace, name: row.name },
    facets: row.facets,
  }))
}
