import dagre from '@dagrejs/dagre'
import { type PointerEvent, useMemo, useRef, useState, type WheelEvent } from 'react'
import type { LineageNode } from '../api/use-lineage.js'

const NODE_WIDTH = 220
const NODE_HEIGHT = 46
const VIEW_WIDTH = 960
const VIEW_HEIGHT = 480
/** Below this scale names are too small to read; large graphs open at LEGIBLE instead. */
const MIN_LEGIBLE = 0.6
const LEGIBLE = 0.85

interface Placed {
  node: LineageNode
  x: number
  y: number
}

/** Left-to-right layers (sources on the left), laid out by dagre. */
function layout(nodes: LineageNode[]) {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 70, marginx: 20, marginy: 20 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const node of nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT })
  const ids = new Set(nodes.map((n) => n.id))
  const edges = nodes
    .flatMap((n) => n.outEdges)
    .filter((e) => ids.has(e.origin) && ids.has(e.destination))
  for (const edge of edges) g.setEdge(edge.origin, edge.destination)
  dagre.layout(g)
  const placed = new Map<string, Placed>()
  for (const node of nodes) {
    const at = g.node(node.id)
    placed.set(node.id, { node, x: at.x, y: at.y })
  }
  const { width = VIEW_WIDTH, height = VIEW_HEIGHT } = g.graph()
  return { placed, edges, width, height }
}

const short = (text: string, max = 28) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/**
 * The lineage graph as SVG: datasets (rounded) and jobs (square) in layers from sources to
 * consumers. Drag to pan, wheel or the buttons to zoom; click a node to select it (Enter too).
 * `highlighted` marks the nodes a selected column flows through.
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
  const { placed, edges, width, height } = useMemo(() => layout(nodes), [nodes])
  const fit = useMemo(() => {
    const k = Math.min(1, VIEW_WIDTH / width, VIEW_HEIGHT / height)
    return { k, x: (VIEW_WIDTH - width * k) / 2, y: (VIEW_HEIGHT - height * k) / 2 }
  }, [width, height])
  // The whole graph when it fits legibly; a large one opens legible around its focus node
  // (Fit shows all of it, the wheel and drag go anywhere).
  const start = useMemo(() => {
    const center = placed.get(focus)
    if (fit.k >= MIN_LEGIBLE || !center) return fit
    return {
      k: LEGIBLE,
      x: VIEW_WIDTH / 2 - center.x * LEGIBLE,
      y: VIEW_HEIGHT / 2 - center.y * LEGIBLE,
    }
  }, [fit, placed, focus])
  const [view, setView] = useState(start)
  const [lastStart, setLastStart] = useState(start)
  if (lastStart !== start) {
    setLastStart(start)
    setView(start)
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
  const lit = (id: string) => highlighted.size === 0 || highlighted.has(id)

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
        <span className="note">
          {nodes.filter((n) => n.type === 'DATASET').length} datasets,{' '}
          {nodes.filter((n) => n.type === 'JOB').length} jobs
        </span>
      </div>
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
            const from = placed.get(edge.origin)
            const to = placed.get(edge.destination)
            if (!from || !to) return null
            const x1 = from.x + NODE_WIDTH / 2
            const x2 = to.x - NODE_WIDTH / 2
            const mid = (x1 + x2) / 2
            return (
              <path
                key={`${edge.origin}→${edge.destination}`}
                d={`M${x1},${from.y} C${mid},${from.y} ${mid},${to.y} ${x2},${to.y}`}
                fill="none"
                stroke={lit(edge.origin) && lit(edge.destination) ? '#5b6770' : '#d5dade'}
                strokeWidth={
                  highlighted.size > 0 && lit(edge.origin) && lit(edge.destination) ? 2.5 : 1.5
                }
                markerEnd="url(#lineage-arrow)"
              />
            )
          })}
          {[...placed.values()].map(({ node, x, y }) => {
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
                transform={`translate(${x - NODE_WIDTH / 2} ${y - NODE_HEIGHT / 2})`}
                opacity={lit(node.id) ? 1 : 0.35}
                onClick={() => onSelect(node)}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' || event.key === ' ') {
                    event.preventDefault()
                    onSelect(node)
                  }
                }}
                className="lineage-node"
              >
                <rect
                  width={NODE_WIDTH}
                  height={NODE_HEIGHT}
                  rx={node.type === 'DATASET' ? 14 : 3}
                  fill={node.type === 'DATASET' ? '#e8f1f8' : '#fff6e0'}
                  stroke={isSelected ? '#0b4f8a' : isFocus ? '#1a7f37' : '#8a959e'}
                  strokeWidth={isSelected || isFocus ? 3 : 1}
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
    </div>
  )
}
