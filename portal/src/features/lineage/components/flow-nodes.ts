import { Position } from '@xyflow/react'
import type { LineageNode } from '../api/use-lineage.js'
import type { CollapsedGraph, NodeGroup } from './collapse-groups.js'
import type { ColumnTrace } from './column-trace.js'
import { type GraphLayout, NODE_WIDTH, nodeHeight } from './graph-layout.js'
import { type LineageFlowNode, type NodeRow, rowHandleId, rowMiddle } from './graph-nodes.js'
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
  /** The traced column laid over the graph: rows, outside sources. */
  trace: ColumnTrace
  /** The column traced, `<dataset node id>` and field, drawn as the start row. */
  start: { node: string; field: string } | undefined
  onSelect: (node: LineageNode) => void
  onOpenGroup: (group: NodeGroup) => void
  /** Brings the node at `point` (its centre) into view. */
  onReveal: (point: { x: number; y: number }) => void
}

/** Where a node's edges attach: its middle on each side, and each traced column's row. */
function handlesOf(rows: readonly NodeRow[], height: number) {
  const at = (id: string | null, type: 'source' | 'target', y: number) => ({
    id,
    type,
    position: type === 'target' ? Position.Left : Position.Right,
    // React Flow adds the handle's size: a 1 px handle on each border, centred on `y`.
    x: type === 'target' ? 0 : NODE_WIDTH - 1,
    y: y - 0.5,
    width: 1,
    height: 1,
  })
  return [
    at(null, 'target', height / 2),
    at(null, 'source', height / 2),
    ...rows.flatMap((row, index) => [
      at(rowHandleId('in', row.field), 'target', rowMiddle(index)),
      at(rowHandleId('out', row.field), 'source', rowMiddle(index)),
    ]),
  ]
}

/** React Flow's nodes for a laid-out graph: its groups, its datasets and jobs, outside sources. */
export function toFlowNodes(options: FlowNodesOptions): LineageFlowNode[] {
  const { nodes, collapsed, layout, selected, focus, matched, highlighted, trace, start } = options
  const lit = (id: string) => highlighted.size === 0 || highlighted.has(id)
  const rowsOf = (id: string): NodeRow[] =>
    (trace.fields.get(id) ?? []).map((field) => ({
      field,
      start: start?.node === id && start.field === field,
    }))
  const place = (id: string, rows: readonly NodeRow[] = []) => {
    const point = layout.at.get(id) ?? { x: 0, y: 0 }
    const height = nodeHeight(rows.length)
    return {
      id,
      position: { x: point.x - NODE_WIDTH / 2, y: point.y - height / 2 },
      // Known sizes and handles let React Flow draw nodes and edges before measuring them.
      width: NODE_WIDTH,
      height,
      handles: handlesOf(rows, height),
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
    ...trace.outside.map((source): LineageFlowNode => {
      const { onReveal: _, ...at } = place(source.id, rowsOf(source.id))
      return {
        ...at,
        type: 'outside',
        data: { name: source.name, namespace: source.namespace, rows: rowsOf(source.id) },
      }
    }),
    ...collapsed.nodes.map((node): LineageFlowNode => {
      const rows = rowsOf(node.id)
      const { onReveal, ...at } = place(node.id, rows)
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
          rows,
          onActivate: () => options.onSelect(node),
          onReveal,
        },
      }
    }),
  ]
}
