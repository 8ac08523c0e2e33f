import { type Kysely, type Selectable, sql } from 'kysely'
import type { Facets } from './events.js'
import type { LineageTables, RunOutputSummary, RunQualitySummary } from './lineage-tables.js'

export interface EntityId {
  namespace: string
  name: string
}

export interface GraphEdge {
  origin: string
  destination: string
}

export interface DatasetNodeData {
  id: EntityId
  namespace: string
  name: string
  type: 'DATASET'
  fields: { name: string; type?: string; description?: string }[]
  facets: Facets
  createdAt: Date
  updatedAt: Date
}

export interface RunSummary {
  id: string
  state: string
  startedAt: Date | null
  endedAt: Date | null
  durationMs: number | null
  outputs: RunOutputSummary[]
  quality: RunQualitySummary[]
  facets: Facets
}

/** Where a run's events stand with one external transport (HTTP, file). */
export interface RunDelivery {
  transport: string
  delivered: number
  pending: number
  /** Why the last attempt failed, while events are pending. */
  lastError: string | null
  nextAttemptAt: Date | null
}

export interface JobNodeData {
  id: EntityId
  namespace: string
  name: string
  type: string
  facets: Facets
  latestRun: RunSummary | null
}

/** A node of the graph, shaped as Marquez's `GET /api/v1/lineage` answers. */
export type GraphNode =
  | {
      id: string
      type: 'DATASET'
      data: DatasetNodeData
      inEdges: GraphEdge[]
      outEdges: GraphEdge[]
    }
  | { id: string; type: 'JOB'; data: JobNodeData; inEdges: GraphEdge[]; outEdges: GraphEdge[] }

export interface ColumnNode {
  id: string
  type: 'DATASET_FIELD'
  data: {
    namespace: string
    dataset: string
    field: string
    fieldType: string | null
    inputFields: { namespace: string; dataset: string; field: string; transformations: unknown[] }[]
  }
  inEdges: GraphEdge[]
  outEdges: GraphEdge[]
}

/** Whether the caller may see a dataset (the catalogue's read rules, applied by the server). */
export type DatasetVisibility = (dataset: EntityId) => boolean

export const MAX_DEPTH = 20
const key = (e: EntityId) => JSON.stringify([e.namespace, e.name])
export const datasetNodeId = (e: EntityId) => `dataset:${e.namespace}:${e.name}`
export const jobNodeId = (e: EntityId) => `job:${e.namespace}:${e.name}`
const fieldNodeId = (e: EntityId, field: string) => `datasetField:${e.namespace}:${e.name}:${field}`

/** The columns a dataset's `schema` facet lists (none without one). */
function schemaFields(facets: Facets): DatasetNodeData['fields'] {
  const schema = facets.schema as { fields?: DatasetNodeData['fields'] } | undefined
  return (schema?.fields ?? []).map((f) => ({
    name: f.name,
    type: f.type,
    description: f.description,
  }))
}

/** What every answer says of a dataset, from its stored row. */
function datasetData(row: Selectable<LineageTables['lineage_datasets']>) {
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

function newestPerDataset<T extends EntityId>(entries: readonly T[]): T[] {
  return [...new Map(entries.map((e) => [JSON.stringify([e.namespace, e.name]), e])).values()]
}

function runSummary(row: Selectable<LineageTables['lineage_runs']>): RunSummary {
  return {
    id: row.run_id,
    state: row.state,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs:
      row.started_at && row.ended_at ? row.ended_at.getTime() - row.started_at.getTime() : null,
    // Events add to a run's lists; the newest entry per dataset stands.
    outputs: newestPerDataset(row.outputs),
    quality: newestPerDataset(row.quality),
    facets: row.facets,
  }
}

/** Read side of the lineage store: the graph, column lineage and run history. */
export function createLineageGraph(db: Kysely<LineageTables>) {
  /**
   * The (namespace, name) a Marquez-style node id names. Namespaces hold colons
   * (`postgres://h:5432`), so the id is not split blindly: each split is tried against the store.
   */
  async function resolve(
    table: 'lineage_datasets' | 'lineage_jobs',
    rest: string,
  ): Promise<EntityId | undefined> {
    const candidates: EntityId[] = []
    for (let at = rest.indexOf(':'); at !== -1; at = rest.indexOf(':', at + 1))
      candidates.push({ namespace: rest.slice(0, at), name: rest.slice(at + 1) })
    if (candidates.length === 0) return undefined
    const found = await db
      .selectFrom(table)
      .select(['namespace', 'name'])
      .where((eb) =>
        eb.or(
          candidates.map((c) =>
            eb.and([eb('namespace', '=', c.namespace), eb('name', '=', c.name)]),
          ),
        ),
      )
      .execute()
    // The longest namespace that exists wins (`a:b:c` is more likely `a:b` + `c` if both exist).
    return found.sort((a, b) => b.namespace.length - a.namespace.length)[0]
  }

  async function resolveNode(nodeId: string) {
    if (nodeId.startsWith('dataset:')) {
      const id = await resolve('lineage_datasets', nodeId.slice('dataset:'.length))
      return id ? { kind: 'dataset' as const, id } : undefined
    }
    if (nodeId.startsWith('job:')) {
      const id = await resolve('lineage_jobs', nodeId.slice('job:'.length))
      return id ? { kind: 'job' as const, id } : undefined
    }
    return undefined
  }

  /** The stored rows of some jobs or datasets, in one query. */
  async function entityRows(table: 'lineage_datasets' | 'lineage_jobs', ids: EntityId[]) {
    if (ids.length === 0) return []
    return db
      .selectFrom(table)
      .selectAll()
      .where((eb) =>
        eb.or(ids.map((d) => eb.and([eb('namespace', '=', d.namespace), eb('name', '=', d.name)]))),
      )
      .execute()
  }

  async function latestRuns(jobs: EntityId[]) {
    if (jobs.length === 0) return new Map<string, RunSummary>()
    const rows = await db
      .selectFrom('lineage_runs')
      .selectAll()
      .where((eb) =>
        eb.or(
          jobs.map((j) =>
            eb.and([eb('job_namespace', '=', j.namespace), eb('job_name', '=', j.name)]),
          ),
        ),
      )
      .orderBy('updated_at', 'desc')
      .execute()
    const latest = new Map<string, RunSummary>()
    for (const row of rows) {
      const k = key({ namespace: row.job_namespace, name: row.job_name })
      if (!latest.has(k)) latest.set(k, runSummary(row))
    }
    return latest
  }

  /**
   * Each dataset's other names: the `symlinks` it lists and the datasets whose `symlinks` list it
   * (how another tool's name for a file or table links to our catalogue entry), either way.
   */
  async function aliasesOf(ids: readonly EntityId[]) {
    const aliases = new Map<string, EntityId[]>(ids.map((id) => [key(id), []]))
    if (ids.length === 0) return aliases
    const listed = (facets: Facets) =>
      ((facets.symlinks as { identifiers?: EntityId[] } | undefined)?.identifiers ?? []).map(
        (s) => ({ namespace: s.namespace, name: s.name }),
      )
    const [own, listing] = await Promise.all([
      entityRows('lineage_datasets', [...ids]),
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
    for (const row of own) aliases.get(key(row))?.push(...listed(row.facets))
    for (const row of listing)
      for (const alias of listed(row.facets))
        aliases.get(key(alias))?.push({ namespace: row.namespace, name: row.name })
    return aliases
  }

  /** Per run, how its events fare with each external transport (from the outbox). */
  async function deliveryOfRuns(runIds: string[]) {
    const byRun = new Map<string, RunDelivery[]>()
    if (runIds.length === 0) return byRun
    const rows = await db
      .selectFrom('lineage_outbox')
      .select((eb) => [
        'run_id',
        'transport',
        eb.fn.countAll<string>().filterWhere('delivered_at', 'is not', null).as('delivered'),
        eb.fn.countAll<string>().filterWhere('delivered_at', 'is', null).as('pending'),
        eb.fn.max('last_error').filterWhere('delivered_at', 'is', null).as('last_error'),
        eb.fn.min('next_attempt_at').filterWhere('delivered_at', 'is', null).as('next_attempt_at'),
      ])
      .where('run_id', 'in', runIds)
      .groupBy(['run_id', 'transport'])
      .orderBy('transport')
      .execute()
    for (const row of rows) {
      const pending = Number(row.pending)
      const list = byRun.get(row.run_id as string) ?? []
      list.push({
        transport: row.transport,
        delivered: Number(row.delivered),
        pending,
        lastError: row.last_error ?? null,
        nextAttemptAt: pending > 0 ? (row.next_attempt_at ?? null) : null,
      })
      byRun.set(row.run_id as string, list)
    }
    return byRun
  }

  return {
    resolveNode,
    deliveryOfRuns,

    /**
     * The graph around a dataset or job, `depth` steps out (a step is one edge: dataset to job
     * or job to dataset), upstream and downstream, as Marquez answers it. Datasets the caller may
     * not see are left out, and the walk does not pass through them. Undefined for an unknown node.
     */
    async graph(
      nodeId: string,
      options: { depth: number; visible: DatasetVisibility },
    ): Promise<{ graph: GraphNode[] } | undefined> {
      const start = await resolveNode(nodeId)
      if (!start) return undefined
      if (start.kind === 'dataset' && !options.visible(start.id)) return undefined
      const datasets = new Map<string, EntityId>()
      const jobs = new Map<string, EntityId>()
      const edges = new Map<string, GraphEdge>()
      let datasetFrontier: EntityId[] = start.kind === 'dataset' ? [start.id] : []
      let jobFrontier: EntityId[] = start.kind === 'job' ? [start.id] : []
      for (const d of datasetFrontier) datasets.set(key(d), d)
      for (const j of jobFrontier) jobs.set(key(j), j)
      for (let step = 0; step < Math.min(options.depth, MAX_DEPTH); step++) {
        const nextDatasets: EntityId[] = []
        const nextJobs: EntityId[] = []
        const found = await db
          .selectFrom('lineage_edges')
          .select(['job_namespace', 'job_name', 'dataset_namespace', 'dataset_name', 'direction'])
          .where((eb) =>
            eb.or([
              ...datasetFrontier.map((d) =>
                eb.and([
                  eb('dataset_namespace', '=', d.namespace),
                  eb('dataset_name', '=', d.name),
                ]),
              ),
              ...jobFrontier.map((j) =>
                eb.and([eb('job_namespace', '=', j.namespace), eb('job_name', '=', j.name)]),
              ),
            ]),
          )
          .execute()
        if (datasetFrontier.length + jobFrontier.length === 0) break
        for (const edge of found) {
          const dataset = { namespace: edge.dataset_namespace, name: edge.dataset_name }
          const job = { namespace: edge.job_namespace, name: edge.job_name }
          if (!options.visible(dataset)) continue
          if (!datasets.has(key(dataset))) {
            datasets.set(key(dataset), dataset)
            nextDatasets.push(dataset)
          }
          if (!jobs.has(key(job))) {
            jobs.set(key(job), job)
            nextJobs.push(job)
          }
          const e =
            edge.direction === 'output'
              ? { origin: jobNodeId(job), destination: datasetNodeId(dataset) }
              : { origin: datasetNodeId(dataset), destination: jobNodeId(job) }
          edges.set(`${e.origin}→${e.destination}`, e)
        }
        datasetFrontier = nextDatasets
        jobFrontier = nextJobs
      }
      const datasetList = [...datasets.values()]
      const jobList = [...jobs.values()]
      const [datasetRows, jobRows, runs] = await Promise.all([
        entityRows('lineage_datasets', datasetList),
        entityRows('lineage_jobs', jobList),
        latestRuns(jobList),
      ])
      const edgeList = [...edges.values()]
      const edgesOf = (id: string) => ({
        inEdges: edgeList.filter((e) => e.destination === id),
        outEdges: edgeList.filter((e) => e.origin === id),
      })
      const graph: GraphNode[] = [
        ...datasetRows.map((row): GraphNode => {
          const id = { namespace: row.namespace, name: row.name }
          return {
            id: datasetNodeId(id),
            type: 'DATASET',
            data: { ...datasetData(row), type: 'DATASET' },
            ...edgesOf(datasetNodeId(id)),
          }
        }),
        ...jobRows.map((row): GraphNode => {
          const id = { namespace: row.namespace, name: row.name }
          const jobType = row.facets.jobType as { jobType?: string } | undefined
          return {
            id: jobNodeId(id),
            type: 'JOB',
            data: {
              id,
              ...id,
              type: jobType?.jobType ?? 'JOB',
              facets: row.facets,
              latestRun: runs.get(key(id)) ?? null,
            },
            ...edgesOf(jobNodeId(id)),
          }
        }),
      ]
      return { graph }
    },

    /**
     * Which source columns feed a dataset's columns (or one column), transitively upstream,
     * with how each is made from the next (identity, transformation, aggregation; join keys
     * and filters as indirect).
     */
    async columnLineage(
      dataset: EntityId,
      options: { field?: string; depth: number; visible: DatasetVisibility },
    ): Promise<{ graph: ColumnNode[] }> {
      const nodes = new Map<string, ColumnNode>()
      let frontier: { dataset: EntityId; field?: string }[] = [{ dataset, field: options.field }]
      const fieldTypes = new Map<string, Map<string, string>>()
      const typeOf = async (d: EntityId, field: string) => {
        if (!fieldTypes.has(key(d))) {
          const row = await db
            .selectFrom('lineage_datasets')
            .select('facets')
            .where('namespace', '=', d.namespace)
            .where('name', '=', d.name)
            .executeTakeFirst()
          const fields = row ? schemaFields(row.facets) : []
          fieldTypes.set(key(d), new Map(fields.map((f) => [f.name, f.type ?? ''])))
        }
        return fieldTypes.get(key(d))?.get(field) || null
      }
      const node = async (d: EntityId, field: string) => {
        const id = fieldNodeId(d, field)
        let found = nodes.get(id)
        if (!found) {
          found = {
            id,
            type: 'DATASET_FIELD',
            data: {
              namespace: d.namespace,
              dataset: d.name,
              field,
              fieldType: await typeOf(d, field),
              inputFields: [],
            },
            inEdges: [],
            outEdges: [],
          }
          nodes.set(id, found)
        }
        return found
      }
      for (let step = 0; step < Math.min(options.depth, MAX_DEPTH) && frontier.length > 0; step++) {
        const next: { dataset: EntityId; field: string }[] = []
        for (const item of frontier) {
          let query = db
            .selectFrom('lineage_column_edges')
            .selectAll()
            .where('namespace', '=', item.dataset.namespace)
            .where('name', '=', item.dataset.name)
          if (item.field) query = query.where('field', '=', item.field)
          for (const row of await query.execute()) {
            const input = { namespace: row.input_namespace, name: row.input_name }
            if (!options.visible(input)) continue
            const target = await node(item.dataset, row.field)
            const source = await node(input, row.input_field)
            target.data.inputFields.push({
              namespace: input.namespace,
              dataset: input.name,
              field: row.input_field,
              transformations: row.transformations,
            })
            const edge = { origin: source.id, destination: target.id }
            target.inEdges.push(edge)
            source.outEdges.push(edge)
            if (
              source.inEdges.length === 0 &&
              !next.some((n) => key(n.dataset) === key(input) && n.field === row.input_field)
            )
              next.push({ dataset: input, field: row.input_field })
          }
        }
        frontier = next
      }
      return { graph: [...nodes.values()] }
    },

    /**
     * One dataset as lineage knows it: schema and facets, versions written by runs, the jobs
     * reading and writing it, and its other names: the `symlinks` it lists and the datasets
     * that list it (how another tool's name for a file links to our catalogue entry).
     */
    async dataset(id: EntityId) {
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
        aliasesOf([id]),
      ])
      return {
        ...datasetData(row),
        versions: versions.map((v) => ({
          version: v.version,
          runId: v.run_id,
          createdAt: v.created_at,
        })),
        writtenBy: edges
          .filter((e) => e.direction === 'output')
          .map((e) => ({ namespace: e.job_namespace, name: e.job_name })),
        readBy: edges
          .filter((e) => e.direction === 'input')
          .map((e) => ({ namespace: e.job_namespace, name: e.job_name })),
        aliases: aliases.get(key(id)) ?? [],
      }
    },

    /**
     * Datasets and jobs whose name or namespace holds `q` (any case), as Marquez's
     * `GET /api/v1/search`: names starting with it first, then the most recently updated. The
     * caller's hidden catalogue datasets are left out in the query, so counts hide them too.
     * Datasets come with their aliases, to link them to the catalogue.
     */
    async search(
      q: string,
      options: {
        filter?: 'DATASET' | 'JOB'
        limit: number
        hidden: { namespace: string; names: readonly string[] }
      },
    ) {
      const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`)
      const like = `%${escaped}%`
      const prefix = `${escaped}%`
      const hiddenNames = options.hidden.names.length > 0 ? [...options.hidden.names] : ['']
      const datasets = sql`select 'DATASET' as type, namespace, name, updated_at from lineage_datasets
        where (name ilike ${like} or namespace ilike ${like})
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
      const aliases = await aliasesOf(found.rows.filter((r) => r.type === 'DATASET'))
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
            aliases: aliases.get(key(id)) ?? [],
          }
        }),
      }
    },

    /** A job's runs, newest first: state, duration, rows written, quality. */
    async runs(job: EntityId, options: { limit: number; offset: number }) {
      const [rows, total] = await Promise.all([
        db
          .selectFrom('lineage_runs')
          .selectAll()
          .where('job_namespace', '=', job.namespace)
          .where('job_name', '=', job.name)
          .orderBy('updated_at', 'desc')
          .limit(options.limit)
          .offset(options.offset)
          .execute(),
        db
          .selectFrom('lineage_runs')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('job_namespace', '=', job.namespace)
          .where('job_name', '=', job.name)
          .executeTakeFirstOrThrow(),
      ])
      const delivery = await deliveryOfRuns(rows.map((r) => r.run_id))
      return {
        runs: rows.map((row) => ({ ...runSummary(row), delivery: delivery.get(row.run_id) ?? [] })),
        totalCount: Number(total.n),
      }
    },
  }
}

export type LineageGraph = ReturnType<typeof createLineageGraph>
