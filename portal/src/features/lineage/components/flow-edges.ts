import { type Edge, MarkerType } from '@xyflow/react'
import type { LineageNode } from '../api/use-lineage.js'
import type { CollapsedGraph } from './collapse-groups.js'
import type { ColumnLink, ColumnTrace } from './column-trace.js'
import { GRAPH_COLOURS } from './graph-colours.js'
import type { GraphLayout } from './graph-layout.js'
import { rowHandleId } from './graph-nodes.js'

export interface FlowEdgesOptions {
  /** Every node of the graph: an edge is named after the nodes it joins. */
  nodes: LineageNode[]
  collapsed: CollapsedGraph
  layout: GraphLayout
  /** Nodes a traced column flows through; empty when no column is traced. */
  highlighted: ReadonlySet<string>
  /** The traced column: its hops are drawn row to row, its outside sources named. */
  trace: ColumnTrace
}

/** How a hop makes its column, in a few words: "masked", "assumed". */
export function hopWords(link: Pick<ColumnLink, 'transformations' | 'assumed'>): string {
  if (link.assumed) return 'assumed unchanged'
  return link.transformations
    .map((t) => `${t.type.toLowerCase()} ${t.subtype.toLowerCase()}${t.masking ? ' (masked)' : ''}`)
    .join(', ')
}

/** A traced column's hop, drawn from its input's row to its column's row. */
function columnEdge(link: ColumnLink): Edge {
  const how = hopWords(link)
  return {
    id: link.id,
    source: link.from.node,
    sourceHandle: rowHandleId('out', link.from.field),
    target: link.to.node,
    targetHandle: rowHandleId('in', link.to.field),
    ariaLabel: `Column ${link.from.field} of ${link.from.dataset} to ${link.to.field} of ${link.to.dataset}${how ? `: ${how}` : ''}`,
    markerEnd: { type: MarkerType.ArrowClosed, color: GRAPH_COLOURS.traced, width: 14, height: 14 },
    style: {
      stroke: GRAPH_COLOURS.traced,
      strokeWidth: 2.5,
      ...(link.assumed ? { strokeDasharray: '6 4' } : {}),
    },
  }
}

/**
 * React Flow's edges for a laid-out graph, each an arrow named "From <origin> to <destination>":
 * strong between nodes a traced column flows through (a group counts as its anchor), faint else;
 * then, for a traced column, one arrow per hop from row to row ("Column <field> of <dataset>
 * to <field> of <dataset>"), dashed where the hop is assumed.
 */
export function toFlowEdges({
  nodes,
  collapsed,
  layout,
  highlighted,
  trace,
}: FlowEdgesOptions): Edge[] {
  const names = new Map<string, string>([
    ...nodes.map((n) => [n.id, n.data.name] as const),
    ...trace.outside.map((o) => [o.id, o.name] as const),
  ])
  const anchors = new Map(collapsed.groups.map((g) => [g.id, g.anchor]))
  const lit = (id: string) => highlighted.size === 0 || highlighted.has(anchors.get(id) ?? id)
  const between = layout.edges.map((edge): Edge => {
    const strong = lit(edge.origin) && lit(edge.destination)
    const colour = strong ? GRAPH_COLOURS.edge : GRAPH_COLOURS.fadedEdge
    return {
      id: `${edge.origin}→${edge.destination}`,
      source: edge.origin,
      target: edge.destination,
      ariaLabel: `From ${names.get(edge.origin) ?? 'folded nodes'} to ${names.get(edge.destination) ?? 'folded nodes'}`,
      markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
      style: { stroke: colour, strokeWidth: highlighted.size > 0 && strong ? 2.5 : 1.5 },
    }
  })
  const columns = trace.links
    .filter((link) => layout.at.has(link.from.node) && layout.at.has(link.to.node))
    .map(columnEdge)
  return [...between, ...columns]
}
