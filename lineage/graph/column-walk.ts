import { bridgeColumns, type DatasetWriters } from './column-bridge.js'
import { type DatasetVisibility, type EntityId, entityKey, fieldNodeId } from './entity-id.js'
import { type GraphEdge, MAX_DEPTH } from './walk.js'

/** One column of a dataset, or every column of it when `field` is absent or empty. */
export interface ColumnRef {
  dataset: EntityId
  field?: string
}

/** A column (`dataset`.`field`) is made from an input column, in these ways. */
export interface ColumnEdge {
  dataset: EntityId
  field: string
  input: EntityId
  inputField: string
  transformations: unknown[]
  /** Not reported: taken to pass through a job that reported no column lineage (column-bridge.ts). */
  assumed?: boolean
}

/** Where a column walk finds its edges. */
export interface ColumnEdgeSource {
  /** The edges into every column the frontier names, in one go. */
  columnEdgesOf(frontier: readonly ColumnRef[]): Promise<readonly ColumnEdge[]>
  /** What the jobs writing these datasets read, and whether they reported column lineage. */
  writersOf(datasets: readonly EntityId[]): Promise<readonly DatasetWriters[]>
}

/** A column of the answer, shaped as Marquez's `GET /api/v1/column-lineage` answers. */
export interface ColumnNode {
  id: string
  type: 'DATASET_FIELD'
  data: {
    namespace: string
    dataset: string
    field: string
    fieldType: string | null
    inputFields: {
      namespace: string
      dataset: string
      field: string
      transformations: unknown[]
      /** Not reported by the job: taken to pass unchanged from the column of the same name. */
      assumed: boolean
    }[]
  }
  inEdges: GraphEdge[]
  outEdges: GraphEdge[]
}

/** The columns a dataset's schema lists, as they are typed. */
export interface DatasetColumns {
  id: EntityId
  fields: readonly { name: string; type?: string | null }[]
}

/** A frontier's edges by the dataset they lead into, each dataset's in the order given. */
function byDataset(edges: readonly ColumnEdge[]) {
  const grouped = new Map<string, ColumnEdge[]>()
  for (const edge of edges) {
    const list = grouped.get(entityKey(edge.dataset))
    if (list) list.push(edge)
    else grouped.set(entityKey(edge.dataset), [edge])
  }
  return grouped
}

/** The frontier's edges: those reported, and assumed ones where a hop reported none. */
async function edgesInto(
  source: ColumnEdgeSource,
  frontier: readonly ColumnRef[],
  visible: DatasetVisibility,
): Promise<Map<string, ColumnEdge[]>> {
  const found = byDataset(await source.columnEdgesOf(frontier))
  const bare = frontier.filter(
    (item): item is { dataset: EntityId; field: string } =>
      !!item.field &&
      !(found.get(entityKey(item.dataset)) ?? []).some((edge) => edge.field === item.field),
  )
  if (bare.length === 0) return found
  const datasets = [...new Map(bare.map((c) => [entityKey(c.dataset), c.dataset])).values()]
  const writers = await source.writersOf(datasets)
  await visible.lookUp(writers.flatMap((w) => w.inputs.map((i) => i.dataset)))
  for (const edge of bridgeColumns(bare, writers, visible.sees)) {
    const list = found.get(entityKey(edge.dataset))
    if (list) list.push(edge)
    else found.set(entityKey(edge.dataset), [edge])
  }
  return found
}

/**
 * Which columns feed a dataset's columns (or one column), transitively upstream through every
 * job, `depth` steps (at most {@link MAX_DEPTH}), with how each is made from the next. A hop
 * whose job reported no column lineage is bridged by name where that is clear (see
 * {@link bridgeColumns}), marked `assumed`. Input columns of datasets the caller may not see are
 * left out, and the walk does not pass through them. Each column is traced once, so a cycle
 * ends where it comes round. Columns come in the order the walk reaches them, untyped (see
 * {@link typeColumns}).
 */
export async function walkColumns(
  source: ColumnEdgeSource,
  start: ColumnRef,
  options: { depth: number; visible: DatasetVisibility },
): Promise<ColumnNode[]> {
  const nodes = new Map<string, ColumnNode>()
  const node = (d: EntityId, field: string) => {
    const id = fieldNodeId(d, field)
    let found = nodes.get(id)
    if (!found) {
      found = {
        id,
        type: 'DATASET_FIELD',
        data: { namespace: d.namespace, dataset: d.name, field, fieldType: null, inputFields: [] },
        inEdges: [],
        outEdges: [],
      }
      nodes.set(id, found)
    }
    return found
  }
  const traced = new Set<string>()
  if (start.field) traced.add(fieldNodeId(start.dataset, start.field))
  let frontier: ColumnRef[] = [start]
  const steps = Math.min(options.depth, MAX_DEPTH)
  for (let step = 0; step < steps && frontier.length > 0; step++) {
    const next: { dataset: EntityId; field: string }[] = []
    const found = await edgesInto(source, frontier, options.visible)
    await options.visible.lookUp(
      [...found.values()].flatMap((rows) => rows.map((row) => row.input)),
    )
    for (const item of frontier) {
      const rows = found.get(entityKey(item.dataset)) ?? []
      for (const row of rows.filter((edge) => !item.field || edge.field === item.field)) {
        if (!options.visible.sees(row.input)) continue
        const target = node(item.dataset, row.field)
        const input = node(row.input, row.inputField)
        target.data.inputFields.push({
          namespace: row.input.namespace,
          dataset: row.input.name,
          field: row.inputField,
          transformations: row.transformations,
          assumed: row.assumed === true,
        })
        const edge = { origin: input.id, destination: target.id }
        target.inEdges.push(edge)
        input.outEdges.push(edge)
        // A column already traced (or queued) is not traced again: cycles end here.
        traced.add(target.id)
        if (!traced.has(input.id)) {
          traced.add(input.id)
          next.push({ dataset: row.input, field: row.inputField })
        }
      }
    }
    frontier = next
  }
  return [...nodes.values()]
}

/** The datasets the columns belong to, each once. */
export function columnDatasets(columns: readonly ColumnNode[]): EntityId[] {
  const datasets = columns.map((c) => ({ namespace: c.data.namespace, name: c.data.dataset }))
  return [...new Map(datasets.map((d) => [entityKey(d), d])).values()]
}

/** The columns with their types from their datasets' schemas (null where a schema has none). */
export function typeColumns(
  columns: readonly ColumnNode[],
  schemas: readonly DatasetColumns[],
): ColumnNode[] {
  const types = new Map(
    schemas.map((s) => [entityKey(s.id), new Map(s.fields.map((f) => [f.name, f.type ?? '']))]),
  )
  return columns.map((column) => {
    const dataset = { namespace: column.data.namespace, name: column.data.dataset }
    const fieldType = types.get(entityKey(dataset))?.get(column.data.field) || null
    return { ...column, data: { ...column.data, fieldType } }
  })
}
