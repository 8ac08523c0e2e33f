import type {
  ColumnNode,
  ColumnTransformation,
  LineageEdge,
  LineageNode,
} from '../api/use-lineage.js'

/** A dataset a traced column comes from that the graph does not hold (a reference table). */
export interface OutsideSource {
  /** `outside:<namespace>:<name>`: its node in the drawing. */
  id: string
  namespace: string
  name: string
}

/** One hop of a trace: a column made from another, between the nodes that draw them. */
export interface ColumnLink {
  id: string
  /** The node (dataset or outside source) and column the hop starts from. */
  from: { node: string; field: string; dataset: string }
  to: { node: string; field: string; dataset: string }
  transformations: ColumnTransformation[]
  assumed: boolean
  /** Where the input is a dataset the graph does not hold. */
  outside: boolean
}

/** A traced column laid over the graph: which rows each node shows, and the hops between. */
export interface ColumnTrace {
  /** Per node id, the traced columns it shows as rows, in the order the trace reaches them. */
  fields: ReadonlyMap<string, readonly string[]>
  outside: OutsideSource[]
  links: ColumnLink[]
  /** The nodes the trace flows through: its datasets, the jobs between them, outside sources. */
  highlighted: ReadonlySet<string>
  /** Extra edges that place outside sources next to what reads them. */
  layoutEdges: LineageEdge[]
  /** The most hops from the traced column to a source (the fewest it takes to each). */
  hops: number
  /** The columns nothing further is known to come from: where the trace ends. */
  sources: ColumnNode[]
}

export const EMPTY_TRACE: ColumnTrace = {
  fields: new Map(),
  outside: [],
  links: [],
  highlighted: new Set(),
  layoutEdges: [],
  hops: 0,
  sources: [],
}

const datasetId = (namespace: string, name: string) => `dataset:${namespace}:${name}`

/** How many hops the farthest source is from `start`, by the fewest hops to each. */
export function traceHops(columns: readonly ColumnNode[], start: string | undefined): number {
  if (!start) return 0
  const byId = new Map(columns.map((c) => [c.id, c]))
  return hopsFrom(start, byId)
}

function hopsFrom(start: string, columns: ReadonlyMap<string, ColumnNode>): number {
  const seen = new Set([start])
  let frontier = [start]
  let hops = 0
  while (frontier.length > 0) {
    const next: string[] = []
    for (const id of frontier)
      for (const input of columns.get(id)?.data.inputFields ?? []) {
        const inputId = `datasetField:${input.namespace}:${input.dataset}:${input.field}`
        if (!seen.has(inputId)) {
          seen.add(inputId)
          next.push(inputId)
        }
      }
    if (next.length > 0) hops++
    frontier = next
  }
  return hops
}

/**
 * Lays a column trace (the column-lineage answer) over the graph's nodes: every dataset on it
 * shows its traced columns, each hop becomes a link between those rows, and a dataset the graph
 * does not hold becomes an outside source rather than a gap. The jobs that make a traced
 * dataset from another on the trace (or from an outside source) are lit with them.
 */
export function traceColumns(
  columns: readonly ColumnNode[],
  nodes: readonly LineageNode[],
  start: string | undefined,
): ColumnTrace {
  if (columns.length === 0) return EMPTY_TRACE
  const inGraph = new Set(nodes.map((n) => n.id))
  const outside = new Map<string, OutsideSource>()
  const nodeOf = (namespace: string, name: string) => {
    const id = datasetId(namespace, name)
    if (inGraph.has(id)) return id
    const away = `outside:${namespace}:${name}`
    if (!outside.has(away)) outside.set(away, { id: away, namespace, name })
    return away
  }
  const fields = new Map<string, string[]>()
  const show = (node: string, field: string) => {
    const list = fields.get(node) ?? []
    if (!list.includes(field)) list.push(field)
    fields.set(node, list)
  }
  const links: ColumnLink[] = []
  for (const column of columns) {
    const to = nodeOf(column.data.namespace, column.data.dataset)
    show(to, column.data.field)
    for (const input of column.data.inputFields) {
      const from = nodeOf(input.namespace, input.dataset)
      show(from, input.field)
      links.push({
        id: `column:${from}:${input.field}→${to}:${column.data.field}`,
        from: { node: from, field: input.field, dataset: input.dataset },
        to: { node: to, field: column.data.field, dataset: column.data.dataset },
        transformations: input.transformations,
        assumed: input.assumed === true,
        outside: from.startsWith('outside:'),
      })
    }
  }

  const highlighted = new Set([...fields.keys()])
  const layoutEdges: LineageEdge[] = []
  for (const link of links) {
    const makers = nodes.filter(
      (n) =>
        n.type === 'JOB' &&
        n.outEdges.some((e) => e.destination === link.to.node) &&
        (link.outside || n.inEdges.some((e) => e.origin === link.from.node)),
    )
    for (const job of makers) highlighted.add(job.id)
    if (link.outside)
      for (const target of makers.length > 0 ? makers.map((j) => j.id) : [link.to.node])
        if (!layoutEdges.some((e) => e.origin === link.from.node && e.destination === target))
          layoutEdges.push({ origin: link.from.node, destination: target })
  }
  return {
    fields,
    outside: [...outside.values()],
    links,
    highlighted,
    layoutEdges,
    hops: traceHops(columns, start),
    sources: columns.filter((c) => c.data.inputFields.length === 0),
  }
}
