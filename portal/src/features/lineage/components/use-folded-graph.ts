import { useCallback, useMemo, useState } from 'react'
import type { LineageNode } from '../api/use-lineage.js'
import { type CollapsedGraph, collapseWide } from './collapse-groups.js'
import type { ColumnTrace } from './column-trace.js'
import { layoutGraph } from './graph-layout.js'

/**
 * The graph as drawn, laid out: wide fan-outs folded into groups (never `focus` or a highlighted
 * node), but the groups opened so far, or nothing folded once "Show all" is on. A traced
 * column's datasets are laid out tall enough for their rows, its outside sources beside what
 * reads them.
 */
export function useFoldedGraph(
  nodes: LineageNode[],
  focus: string,
  highlighted: ReadonlySet<string>,
  trace: ColumnTrace,
) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set())
  const [showAll, setShowAll] = useState(false)
  const collapsed: CollapsedGraph = useMemo(
    () =>
      showAll
        ? { nodes, groups: [], edges: nodes.flatMap((n) => n.outEdges) }
        : collapseWide(nodes, { keep: new Set([focus, ...highlighted]), expanded }),
    [nodes, focus, highlighted, expanded, showAll],
  )
  const groupOf = useMemo(
    () => new Map(collapsed.groups.flatMap((g) => g.members.map((m) => [m, g] as const))),
    [collapsed],
  )
  const layout = useMemo(
    () =>
      layoutGraph(
        [
          ...collapsed.nodes.map((n) => n.id),
          ...collapsed.groups.map((g) => g.id),
          ...trace.outside.map((o) => o.id),
        ],
        [...collapsed.edges, ...trace.layoutEdges],
        new Map([...trace.fields].map(([id, fields]) => [id, fields.length])),
      ),
    [collapsed, trace],
  )
  const expand = useCallback(
    (groupId: string) => setExpanded((open) => new Set([...open, groupId])),
    [],
  )
  const unfoldAll = useCallback(() => setShowAll(true), [])
  const foldAll = useCallback(() => {
    setShowAll(false)
    setExpanded(new Set())
  }, [])
  return {
    collapsed,
    /** The group each folded node is in. */
    groupOf,
    layout,
    /** Whether anything folded has been opened, so there is something to fold again. */
    isUnfolded: showAll || expanded.size > 0,
    expand,
    unfoldAll,
    foldAll,
  }
}
