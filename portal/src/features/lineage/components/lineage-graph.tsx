import dagre from '@dagrejs/dagre'
import {
  type FormEvent,
  type PointerEvent,
  useMemo,
  useRef,
  useState,
  type WheelEvent,
} from 'react'
import type { LineageEdge, LineageNode } from '../api/use-lineage.js'
import { type CollapsedGraph, collapseWide, type NodeGroup } from './collapse-groups.js'
import { GraphMinimap } from './graph-minimap.js'

const NODE_WIDTH = 220
const NODE_HEIGHT = 46
const VIEW_WIDTH = 960
const VIEW_HEIGHT = 480
/** Below this scale names are too small to read; large graphs open at LEGIBLE instead. */
const MIN_LEGIBLE = 0.6
const LEGIBLE = 0.85

/** Left-to-right layers (sources on the left), laid out by dagre. */
function layout(ids: readonly string[], links: readonly LineageEdge[]) {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const id of ids) g.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  const known = new Set(ids)
  const edges = links.filter((e) => known.has(e.origin) && known.has(e.destination))
  for (const edge of edges) g.setEdge(edge.origin, edge.destination)
  dagre.layout(g)
  const at = new Map<string, { x: number; y: number }>()
  for (const id of ids) {
    const { x, y } = g.node(id)
    at.set(id, { x, y })
  }
  const { width = VIEW_WIDTH, height = VIEW_HEIGHT } = g.graph()
  return { at, edges, width, height }
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
const groupLabel = (group: NodeGroup) =>
  [
    group.jobs > 0 && plural(group.jobs, 'job'),
    group.datasets > 0 && plural(group.datasets, 'dataset'),
  ]
    .filter(Boolean)
    .join(' and ')

const short = (text: string, max = 28) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/**
 * The lineage graph as SVG: datasets (rounded) and jobs (square) in layers from sources to
 * consumers. Drag to pan, wheel or the buttons to zoom; click a node to select it (Enter too).
 * `highlighted` marks the nodes a selected column flows through. Wide fan-outs fold into group
 * nodes that open on click; a graph too big for the view gets an overview to move around in, and
 * "Find" goes to a node by name, opening its group if it is folded.
 */
export function LineageGraph({
  nodes,
  focus,
  selected,
  highlighted,
  onSelect,
}: {
  nodes: LineageNode[]
  focus: string
  selected: string | undefined
  highlighted: ReadonlySet<string>
  onSelect: (node: LineageNode) => void
}) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set())
  const [showAll, setShowAll] = useState(false)
  const collapsed: CollapsedGraph = useMemo(
    () =>
      showAll
        ? {
            nodes,
            groups: [],
            edges: nodes.flatMap((n) => n.outEdges),
          }
        : collapseWide(nodes, { keep: new Set([focus, ...highlighted]), expanded }),
    [nodes, focus, highlighted, expanded, showAll],
  )
  const groupOf = useMemo(
    () => new Map(collapsed.groups.flatMap((g) => g.members.map((m) => [m, g] as const))),
    [collapsed],
  )
  const { at, edges, width, height } = useMemo(
    () =>
      layout(
        [...collapsed.nodes.map((n) => n.id), ...collapsed.groups.map((g) => g.id)],
        collapsed.edges,
      ),
    [collapsed],
  )
  const fit = useMemo(() => {
    const k = Math.min(1, VIEW_WIDTH / width, VIEW_HEIGHT / height)
    return { k, x: (VIEW_WIDTH - width * k) / 2, y: (VIEW_HEIGHT - height * k) / 2 }
  }, [width, height])
  const centred = (point: { x: number; y: number }, k: number) => ({
    k,
    x: VIEW_WIDTH / 2 - point.x * k,
    y: VIEW_HEIGHT / 2 - point.y * k,
  })
  // A new graph opens whole when that is legible, else legible around its focus node (Fit
  // shows all of it). Opening a group keeps the view where it is.
  const [opened, setOpened] = useState<{ nodes: LineageNode[]; focus: string } | undefined>()
  const [view, setView] = useState(fit)
  if (opened?.nodes !== nodes || opened.focus !== focus) {
    setOpened({ nodes, focus })
    const point = at.get(focus)
    setView(fit.k >= MIN_LEGIBLE || !point ? fit : centred(point, LEGIBLE))
  }
  // Where to move the view once the next layout has placed it (a found node, an opened group).
  const [centreOn, setCentreOn] = useState<string | undefined>()
  if (centreOn && at.has(centreOn)) {
    const point = at.get(centreOn) as { x: number; y: number }
    setCentreOn(undefined)
    setView((v) => centred(point, v.k < MIN_LEGIBLE ? LEGIBLE : v.k))
  }

  const [find, setFind] = useState('')
  const [foundAt, setFoundAt] = useState(-1)
  const matches = useMemo(() => {
    const text = find.trim().toLowerCase()
    if (!text) return []
    return nodes
      .filter((n) => `${n.data.namespace} ${n.data.name}`.toLowerCase().includes(text))
      .sort((a, b) => a.data.name.localeCompare(b.data.name))
  }, [nodes, find])
  const matched = new Set(matches.map((m) => m.id))
  const goToNext = (event: FormEvent) => {
    event.preventDefault()
    if (matches.length === 0) return
    const index = (foundAt + 1) % matches.length
    const target = matches[index] as LineageNode
    setFoundAt(index)
    const group = groupOf.get(target.id)
    if (group) setExpanded((open) => new Set([...open, group.id]))
    setCentreOn(target.id)
    onSelect(target)
  }
  const openGroup = (group: NodeGroup) => {
    setExpanded((open) => new Set([...open, group.id]))
    setCentreOn(group.anchor)
  }

  const drag = useRef<{ x: number; y: number } | undefined>(undefined)
  const zoom = (factor: number, cx = VIEW_WIDTH / 2, cy = VIEW_HEIGHT / 2) =>
    setView((v) => {
      const k = Math.min(4, Math.max(0.1, v.k * factor))
      return { k, x: cx - ((cx - v.x) * k) / v.k, y: cy - ((cy - v.y) * k) / v.k }
    })
  const onWheel = (event: WheelEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const scale = VIEW_WIDTH / (box.width || VIEW_WIDTH)
    zoom(
      event.deltaY < 0 ? 1.15 : 1 / 1.15,
      (event.clientX - box.left) * scale,
      (event.clientY - box.top) * scale,
    )
  }
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    if ((event.target as Element).closest('[data-node]')) return
    drag.current = { x: event.clientX, y: event.clientY }
    event.currentTarget.setPointerCapture?.(event.pointerId)
  }
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const from = drag.current
    if (!from) return
    drag.current = { x: event.clientX, y: event.clientY }
    setView((v) => ({ ...v, x: v.x + event.clientX - from.x, y: v.y + event.clientY - from.y }))
  }
  const lit = (id: string) =>
    highlighted.size === 0 ||
    highlighted.has(id) ||
    (id.startsWith('group:') &&
      collapsed.groups.some((g) => g.id === id && highlighted.has(g.anchor)))
  const folded = collapsed.groups.reduce((n, g) => n + g.members.length, 0)
  const activate = (action: () => void) => (event: { key: string; preventDefault(): void }) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      action()
    }
  }

  return (
    <div className="lineage-graph">
      <div className="lineage-graph-tools" role="toolbar" aria-label="Graph view">
        <button type="button" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoom(1 / 1.25)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => setView(fit)}>
          Fit
        </button>
        <form className="lineage-find" onSubmit={goToNext}>
          <input
            type="search"
            aria-label="Find a node in the graph"
            placeholder="Find in graph"
            value={find}
            onChange={(event) => {
              setFind(event.target.value)
              setFoundAt(-1)
            }}
          />
          <button
            type="submit"
            disabled={matches.length === 0}
            aria-label={foundAt >= 0 ? 'Next match in the graph' : 'Find in the graph'}
          >
            {foundAt >= 0 ? 'Next' : 'Find'}
          </button>
          {find.trim() && (
            <span className="note" aria-live="polite">
              {matches.length === 0
                ? 'no match'
                : foundAt >= 0
                  ? `${foundAt + 1} of ${matches.length}`
                  : `${matches.length} ${matches.length === 1 ? 'match' : 'matches'}`}
            </span>
          )}
        </form>
        <span className="note">
          {nodes.filter((n) => n.type === 'DATASET').length} datasets,{' '}
          {nodes.filter((n) => n.type === 'JOB').length} jobs
          {folded > 0 && ` (${folded} folded into ${plural(collapsed.groups.length, 'group')})`}
        </span>
        {folded > 0 && (
          <button
            type="button"
            onClick={() => {
              setShowAll(true)
              setCentreOn(focus)
            }}
          >
            Show all
          </button>
        )}
        {(showAll || expanded.size > 0) && (
          <button
            type="button"
            onClick={() => {
              setShowAll(false)
              setExpanded(new Set())
              setCentreOn(focus)
            }}
          >
            Fold wide fans
          </button>
        )}
      </div>
      <div className="lineage-stage">
        {/* biome-ignore lint/a11y/useSemanticElements: an SVG canvas cannot be a fieldset; it groups the node buttons. */}
        <svg
          role="group"
          aria-label="Lineage graph"
          viewBox={`0 0 ${VIEW_WIDTH} ${VIEW_HEIGHT}`}
          className="lineage-canvas"
          onWheel={onWheel}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={() => {
            drag.current = undefined
          }}
        >
          <defs>
            <marker
              id="lineage-arrow"
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" fill="#5b6770" />
            </marker>
          </defs>
          <g transform={`translate(${view.x} ${view.y}) scale(${view.k})`}>
            {edges.map((edge) => {
              const from = at.get(edge.origin)
              const to = at.get(edge.destination)
              if (!from || !to) return null
              const x1 = from.x + NODE_WIDTH / 2
              const x2 = to.x - NODE_WIDTH / 2
              const mid = (x1 + x2) / 2
              const strong = lit(edge.origin) && lit(edge.destination)
              return (
                <path
                  key={`${edge.origin}→${edge.destination}`}
                  d={`M${x1},${from.y} C${mid},${from.y} ${mid},${to.y} ${x2},${to.y}`}
                  fill="none"
                  stroke={strong ? '#5b6770' : '#d5dade'}
                  strokeWidth={highlighted.size > 0 && strong ? 2.5 : 1.5}
                  markerEnd="url(#lineage-arrow)"
                />
              )
            })}
            {collapsed.groups.map((group) => {
              const point = at.get(group.id)
              if (!point) return null
              const anchor = nodes.find((n) => n.id === group.anchor)
              const label = `Show ${groupLabel(group)} more ${group.direction} of ${anchor?.data.name ?? group.anchor}`
              return (
                // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; the group acts as one, keyboard included.
                <g
                  key={group.id}
                  data-node={group.id}
                  role="button"
                  tabIndex={0}
                  aria-label={label}
                  transform={`translate(${point.x - NODE_WIDTH / 2} ${point.y - NODE_HEIGHT / 2})`}
                  opacity={lit(group.id) ? 1 : 0.35}
                  onClick={() => openGroup(group)}
                  onKeyDown={activate(() => openGroup(group))}
                  className="lineage-node lineage-group"
                >
                  <title>{label}</title>
                  <rect
                    width={NODE_WIDTH}
                    height={NODE_HEIGHT}
                    rx={8}
                    fill="#f3f4f6"
                    stroke="#8a959e"
                    strokeDasharray="5 4"
                  />
                  <text x={10} y={18} fontSize={13} fontWeight={600}>
                    + {groupLabel(group)}
                  </text>
                  <text x={10} y={35} fontSize={11} fill="#4a555e">
                    folded · click to show
                  </text>
                </g>
              )
            })}
            {collapsed.nodes.map((node) => {
              const point = at.get(node.id)
              if (!point) return null
              const isSelected = node.id === selected
              const isFocus = node.id === focus
              return (
                // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; the group acts as one, keyboard included.
                <g
                  key={node.id}
                  data-node={node.id}
                  role="button"
                  tabIndex={0}
                  aria-pressed={isSelected}
                  aria-label={`${node.type === 'JOB' ? 'Job' : 'Dataset'} ${node.data.name} in ${node.data.namespace}`}
                  transform={`translate(${point.x - NODE_WIDTH / 2} ${point.y - NODE_HEIGHT / 2})`}
                  opacity={lit(node.id) ? 1 : 0.35}
                  onClick={() => onSelect(node)}
                  onKeyDown={activate(() => onSelect(node))}
                  className={`lineage-node${matched.has(node.id) ? ' lineage-match' : ''}`}
                >
                  <title>{`${node.data.namespace} · ${node.data.name}`}</title>
                  <rect
                    width={NODE_WIDTH}
                    height={NODE_HEIGHT}
                    rx={node.type === 'DATASET' ? 14 : 3}
                    fill={node.type === 'DATASET' ? '#e8f1f8' : '#fff6e0'}
                    stroke={
                      isSelected
                        ? '#0b4f8a'
                        : isFocus
                          ? '#1a7f37'
                          : matched.has(node.id)
                            ? '#bf5700'
                            : '#8a959e'
                    }
                    strokeWidth={isSelected || isFocus || matched.has(node.id) ? 3 : 1}
                  />
                  <text x={10} y={18} fontSize={13} fontWeight={600}>
                    {short(node.data.name)}
                  </text>
                  <text x={10} y={35} fontSize={11} fill="#4a555e">
                    {node.type === 'JOB'
                      ? `${node.data.type.toLowerCase()} · ${node.data.latestRun?.state.toLowerCase() ?? 'no run'}`
                      : short(node.data.namespace, 32)}
                  </text>
                </g>
              )
            })}
          </g>
        </svg>
        {fit.k < 1 && (
          <GraphMinimap
            boxes={[
              ...collapsed.nodes.map((n) => ({
                id: n.id,
                ...(at.get(n.id) ?? { x: 0, y: 0 }),
                kind: n.type,
                marked:
                  n.id === focus ||
                  n.id === selected ||
                  matched.has(n.id) ||
                  (highlighted.size > 0 && highlighted.has(n.id)),
              })),
              ...collapsed.groups.map((g) => ({
                id: g.id,
                ...(at.get(g.id) ?? { x: 0, y: 0 }),
                kind: 'GROUP' as const,
                marked: false,
              })),
            ]}
            boxWidth={NODE_WIDTH}
            boxHeight={NODE_HEIGHT}
            width={width}
            height={height}
            view={view}
            viewWidth={VIEW_WIDTH}
            viewHeight={VIEW_HEIGHT}
            onCentre={(x, y) => setView((v) => centred({ x, y }, v.k))}
          />
        )}
      </div>
    </div>
  )
}
