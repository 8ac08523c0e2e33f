import type { LineageNode } from '../api/use-lineage.js'

/** Graphs merged by node id, each node keeping every edge any of them knows. */
export function mergeGraphs(graphs: LineageNode[][]): LineageNode[] {
  const merged = new Map<string, LineageNode>()
  const key = (e: { origin: string; destination: string }) => `${e.origin}→${e.destination}`
  for (const node of graphs.flat()) {
    const found = merged.get(node.id)
    if (!found) {
      merged.set(node.id, { ...node, inEdges: [...node.inEdges], outEdges: [...node.outEdges] })
      continue
    }
    for (const [list, more] of [
      [found.inEdges, node.inEdges],
      [found.outEdges, node.outEdges],
    ] as const)
      for (const edge of more) if (!list.some((e) => key(e) === key(edge))) list.push(edge)
  }
  return [...merged.values()]
}

/** The nodes reached from `start` by walking only one way (upstream or downstream). */
export function oneWay(nodes: LineageNode[], start: string, direction: 'upstream' | 'downstream') {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const reached = new Set([start])
  const queue = [start]
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const node = byId.get(id)
    const next =
      direction === 'upstream'
        ? (node?.inEdges ?? []).map((e) => e.origin)
        : (node?.outEdges ?? []).map((e) => e.destination)
    for (const n of next)
      if (!reached.has(n) && byId.has(n)) {
        reached.add(n)
        queue.push(n)
      }
  }
  return nodes.filter((n) => reached.has(n.id))
}
