import dagre from '@dagrejs/dagre'
import type { LineageEdge } from '../api/use-lineage.js'

export const NODE_WIDTH = 240
export const NODE_HEIGHT = 52
/** A traced column's row inside a dataset node. */
export const ROW_HEIGHT = 26

/** A node's height with `rows` traced columns listed in it. */
export const nodeHeight = (rows: number) => NODE_HEIGHT + (rows > 0 ? rows * ROW_HEIGHT + 6 : 0)

/** Where dagre put each node (its centre) and the size of the whole drawing. */
export interface GraphLayout {
  at: ReadonlyMap<string, { x: number; y: number }>
  /** The edges between laid-out nodes (others have an end outside the graph). */
  edges: LineageEdge[]
  width: number
  height: number
}

/**
 * Left-to-right layers (sources on the left), laid out by dagre: React Flow does not lay out.
 * `rows` gives the nodes that list traced columns their count, so they are laid out taller.
 */
export function layoutGraph(
  ids: readonly string[],
  links: readonly LineageEdge[],
  rows: ReadonlyMap<string, number> = new Map(),
): GraphLayout {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const id of ids) g.setNode(id, { width: NODE_WIDTH, height: nodeHeight(rows.get(id) ?? 0) })
  const known = new Set(ids)
  const edges = links.filter((e) => known.has(e.origin) && known.has(e.destination))
  for (const edge of edges) g.setEdge(edge.origin, edge.destination)
  dagre.layout(g)
  const at = new Map<string, { x: number; y: number }>()
  for (const id of ids) {
    const { x, y } = g.node(id)
    at.set(id, { x, y })
  }
  const { width = NODE_WIDTH, height = NODE_HEIGHT } = g.graph()
  return { at, edges, width, height }
}
