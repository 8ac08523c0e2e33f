import type { LineageEdge, LineageNode } from '../api/use-lineage.js'

/** A node with more neighbours than this on one side shows a few and groups the rest. */
export const GROUP_OVER = 8
/** How many neighbours of a wide node stay in view (besides those that must). */
const SHOWN = 5

/** Neighbours of one node, on one side, folded into a single node until expanded. */
export interface NodeGroup {
  id: string
  /** The node they hang off. */
  anchor: string
  direction: 'upstream' | 'downstream'
  /** Every node folded in: the neighbours and the branches only they lead to. */
  members: string[]
  jobs: number
  datasets: number
}

export interface CollapsedGraph {
  nodes: LineageNode[]
  groups: NodeGroup[]
  /** Edges between what is shown, a folded node's edges moved to its group. */
  edges: LineageEdge[]
}

/**
 * Folds wide fan-outs and fan-ins (a dataset read by a hundred jobs) so a big graph stays
 * readable: a node with more than GROUP_OVER neighbours on one side keeps SHOWN of them in view
 * and folds the others, with the branches only they lead to, into one group node. Nodes in
 * `keep` (the focus, the selection, a traced column's path) and the ways to them stay in view;
 * groups in `expanded` are not folded.
 */
export function collapseWide(
  nodes: readonly LineageNode[],
  options: { keep: ReadonlySet<string>; expanded: ReadonlySet<string> },
): CollapsedGraph {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const next = (node: LineageNode, direction: NodeGroup['direction']) =>
    (direction === 'downstream'
      ? node.outEdges.map((e) => e.destination)
      : node.inEdges.map((e) => e.origin)
    ).filter((id) => byId.has(id))
  const back = (node: LineageNode, direction: NodeGroup['direction']) =>
    next(node, direction === 'downstream' ? 'upstream' : 'downstream')
  /** Whether walking from `start` one way reaches a node that must stay in view. */
  const reachesKept = (start: string, direction: NodeGroup['direction']) => {
    const seen = new Set([start])
    const queue = [start]
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      if (options.keep.has(id)) return true
      const node = byId.get(id)
      for (const n of node ? next(node, direction) : [])
        if (!seen.has(n)) {
          seen.add(n)
          queue.push(n)
        }
    }
    return false
  }

  const groupOf = new Map<string, string>()
  const groups: NodeGroup[] = []
  const ordered = [...nodes].sort((a, b) => a.id.localeCompare(b.id))
  for (const anchor of ordered) {
    if (groupOf.has(anchor.id)) continue
    for (const direction of ['downstream', 'upstream'] as const) {
      const id = `group:${direction}:${anchor.id}`
      const neighbours = [...new Set(next(anchor, direction))].filter((n) => !groupOf.has(n))
      if (neighbours.length <= GROUP_OVER || options.expanded.has(id)) continue
      const byName = neighbours.sort((a, b) =>
        (byId.get(a)?.data.name ?? a).localeCompare(byId.get(b)?.data.name ?? b, 'en', {
          numeric: true,
        }),
      )
      const folded = byName.slice(SHOWN).filter((n) => !reachesKept(n, direction))
      const members = new Set(folded)
      // The branches only folded nodes lead to fold with them.
      for (let grew = true; grew; ) {
        grew = false
        for (const node of nodes) {
          if (members.has(node.id) || groupOf.has(node.id) || node.id === anchor.id) continue
          if (options.keep.has(node.id)) continue
          const from = back(node, direction)
          if (from.length > 0 && from.every((b) => members.has(b))) {
            members.add(node.id)
            grew = true
          }
        }
      }
      if (members.size === 0) continue
      for (const member of members) groupOf.set(member, id)
      const kinds = [...members].map((m) => byId.get(m)?.type)
      groups.push({
        id,
        anchor: anchor.id,
        direction,
        members: [...members],
        jobs: kinds.filter((k) => k === 'JOB').length,
        datasets: kinds.filter((k) => k === 'DATASET').length,
      })
    }
  }

  const edges = new Map<string, LineageEdge>()
  for (const node of nodes)
    for (const edge of node.outEdges) {
      if (!byId.has(edge.destination)) continue
      const origin = groupOf.get(edge.origin) ?? edge.origin
      const destination = groupOf.get(edge.destination) ?? edge.destination
      if (origin !== destination) edges.set(`${origin}→${destination}`, { origin, destination })
    }
  return {
    nodes: nodes.filter((n) => !groupOf.has(n.id)),
    groups,
    edges: [...edges.values()],
  }
}
