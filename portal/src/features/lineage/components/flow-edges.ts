import { type Edge, MarkerType } from '@xyflow/react'
import type { LineageNode } from '../api/use-lineage.js'
import type { CollapsedGraph } from './collapse-groups.js'
import type { GraphLayout } from './graph-layout.js'

export interface FlowEdgesOptions {
  /** Every node of the graph: an edge is named after the nodes it joins. */
  nodes: LineageNode[]
  collapsed: CollapsedGraph
  layout: GraphLayout
  /** Nodes a traced column flows through; empty when no column is traced. */
  highlighted: ReadonlySet<string>
}

/**
 * React Flow's edges for a laid-out graph, each an arrow named "From <origin> to <destination>":
 * strong between nodes a traced column flows through (a group counts as its anchor), faint else.
 */
export function toFlowEdges({ nodes, collapsed, layout, highlighted }: FlowEdgesOptions): Edge[] {
  const names = new Map<string, string>(nodes.map((n) => [n.id, n.data.name]))
  const anchors = new Map(collapsed.groups.map((g) => [g.id, g.anchor]))
  const lit = (id: string) => highlighted.size === 0 || highlighted.has(anchors.get(id) ?? id)
  return layout.edges.map((edge) => {
    const strong = lit(edge.origin) && lit(edge.destination)
    const colour = strong ? '#5b6770' : '#d5dade'
    return {
      id: `${edge.origin}→${edge.destination}`,
      source: edge.origin,
      target: edge.destination,
      ariaLabel: `From ${names.get(edge.origin) ?? 'folded nodes'} to ${names.get(edge.destination) ?? 'folded nodes'}`,
      markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
      style: { stroke: colour, strokeWidth: highlighted.size > 0 && strong ? 2.5 : 1.5 },
    }
  })
}
