import type { LineageNode } from '../api/use-lineage.js'
import type { CollapsedGraph, NodeGroup } from './collapse-groups.js'
import { type GraphLayout, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js'
import type { LineageFlowNode } from './graph-nodes.js'
import { groupLabel } from './graph-words.js'

export interface FlowNodesOptions {
  /** Every node of the graph, folded or not: a group is named after its anchor. */
  nodes: LineageNode[]
  collapsed: CollapsedGraph
  layout: GraphLayout
  selected: string | undefined
  focus: string
  /** Nodes "Find" matched. */
  matched: ReadonlySet<string>
  /** Nodes a traced column flows through; empty when no column is traced. */
  highlighted: ReadonlySet<string>
  onSelect: (node: LineageNode) => void
  onOpenGroup: (group: NodeGroup) => void
  /** Brings the node at `point` (its centre) into view. */
  onReveal: (point: { x: number; y: number }) => void
}

/** React Flow's nodes for a laid-out graph: its groups, then its datasets and jobs. */
export function toFlowNodes(options: FlowNodesOptions): LineageFlowNode[] {
  const { nodes, collapsed, layout, selected, focus, matched, highlighted } = options
  const lit = (id: string) => highlighted.size === 0 || highlighted.has(id)
  const place = (id: string) => {
    const point = layout.at.get(id) ?? { x: 0, y: 0 }
    return {
      id,
      position: { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 },
      // Known sizes let React Flow draw nodes before (or without) measuring them.
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      // The button inside is what takes focus and has a role; the wrapper stays plain.
      domAttributes: { 'aria-roledescription': undefined },
      onReveal: () => options.onReveal(point),
    }
  }
  return [
    ...collapsed.groups.map((group): LineageFlowNode => {
      const anchor = nodes.find((n) => n.id === group.anchor)
      const { onReveal, ...at } = place(group.id)
      return {
        ...at,
        type: 'fold',
        data: {
          label: `Show ${groupLabel(group)} more ${group.direction} of ${anchor?.data.name ?? group.anchor}`,
          summary: groupLabel(group),
          more: `more ${group.direction} of ${anchor?.data.name ?? group.anchor}`,
          faded: !lit(group.anchor),
          onActivate: () => options.onOpenGroup(group),
          onReveal,
        },
      }
    }),
    ...collapsed.nodes.map((node): LineageFlowNode => {
      const { onReveal, ...at } = place(node.id)
      return {
        ...at,
        type: 'entity',
        data: {
          kind: node.type,
          name: node.data.name,
          namespace: node.data.namespace,
          title: `${node.data.namespace} · ${node.data.name}`,
          detail:
            node.type === 'JOB'
              ? `${node.data.type.toLowerCase()} · ${node.data.latestRun?.state.toLowerCase() ?? 'no run'}`
              : node.data.namespace,
          selected: node.id === selected,
          focus: node.id === focus,
          matched: matched.has(node.id),
          faded: !lit(node.id),
          onActivate: () => options.onSelect(node),
          onReveal,
        },
      }
    }),
  ]
}
