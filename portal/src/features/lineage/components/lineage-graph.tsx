import '@xyflow/react/dist/style.css'
import './lineage-graph.css'
import { Box, Button, Group, Stack, Text } from '@mantine/core'
import { useElementSize } from '@mantine/hooks'
import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  type Viewport,
} from '@xyflow/react'
import { useCallback, useMemo, useState } from 'react'
import type { LineageNode } from '../api/use-lineage.js'
import { type CollapsedGraph, collapseWide, type NodeGroup } from './collapse-groups.js'
import { FindInGraph, useFindInGraph } from './graph-find.js'
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js'
import { type LineageFlowNode, nodeTypes } from './graph-nodes.js'

/** The view's size until React Flow has measured it (never, in a page that is not drawn). */
const VIEW_WIDTH = 960
const VIEW_HEIGHT = 480
/** Below this scale names are too small to read; large graphs open at LEGIBLE instead. */
const MIN_LEGIBLE = 0.6
const LEGIBLE = 0.85

const ARIA_LABELS = {
  'controls.ariaLabel': 'Zoom',
  'controls.zoomIn.ariaLabel': 'Zoom in',
  'controls.zoomOut.ariaLabel': 'Zoom out',
  'controls.fitView.ariaLabel': 'Fit the whole graph in view',
  'minimap.ariaLabel': 'Overview of the whole graph',
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`
const groupLabel = (group: NodeGroup) =>
  [
    group.jobs > 0 && plural(group.jobs, 'job'),
    group.datasets > 0 && plural(group.datasets, 'dataset'),
  ]
    .filter(Boolean)
    .join(' and ')

interface GraphProps {
  nodes: LineageNode[]
  focus: string
  selected: string | undefined
  highlighted: ReadonlySet<string>
  onSelect: (node: LineageNode) => void
}

/**
 * The lineage graph on React Flow, laid out by dagre: datasets (rounded) and jobs (square) in
 * layers from sources to consumers. Drag to pan, wheel or the buttons to zoom; click a node to
 * select it (Enter or Space too). `highlighted` marks the nodes a selected column flows through.
 * Wide fan-outs fold into group nodes that open on click; a graph too big for the view gets an
 * overview to move around in, and "Find" goes to a node by name, opening its group if it is folded.
 */
export function LineageGraph(props: GraphProps) {
  return (
    <ReactFlowProvider>
      <LineageCanvas {...props} />
    </ReactFlowProvider>
  )
}

function LineageCanvas({ nodes, focus, selected, highlighted, onSelect }: GraphProps) {
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
        [...collapsed.nodes.map((n) => n.id), ...collapsed.groups.map((g) => g.id)],
        collapsed.edges,
      ),
    [collapsed],
  )

  // React Flow takes an unmeasured view for 500 × 500; ours stays 0 until it is drawn.
  const { ref: stage, width: measuredWidth, height: measuredHeight } = useElementSize()
  const measured = measuredWidth > 0 && measuredHeight > 0
  const viewWidth = measured ? measuredWidth : VIEW_WIDTH
  const viewHeight = measured ? measuredHeight : VIEW_HEIGHT
  const fit: Viewport = useMemo(() => {
    const zoom = Math.min(1, viewWidth / layout.width, viewHeight / layout.height)
    return {
      zoom,
      x: (viewWidth - layout.width * zoom) / 2,
      y: (viewHeight - layout.height * zoom) / 2,
    }
  }, [layout, viewWidth, viewHeight])
  const centred = useCallback(
    (point: { x: number; y: number }, zoom: number): Viewport => ({
      zoom,
      x: viewWidth / 2 - point.x * zoom,
      y: viewHeight / 2 - point.y * zoom,
    }),
    [viewWidth, viewHeight],
  )

  // A new graph opens whole when that is legible, else legible around its focus node (Fit
  // shows all of it); again once React Flow knows the view's real size. Opening a group keeps
  // the view where it is.
  const [opened, setOpened] = useState<
    { nodes: LineageNode[]; focus: string; measured: boolean } | undefined
  >()
  const [view, setView] = useState<Viewport>(fit)
  if (opened?.nodes !== nodes || opened.focus !== focus || opened.measured !== measured) {
    setOpened({ nodes, focus, measured })
    const point = layout.at.get(focus)
    setView(fit.zoom >= MIN_LEGIBLE || !point ? fit : centred(point, LEGIBLE))
  }
  // Where to move the view once the next layout has placed it (a found node, an opened group).
  const [centreOn, setCentreOn] = useState<string | undefined>()
  const centrePoint = centreOn ? layout.at.get(centreOn) : undefined
  if (centrePoint) {
    setCentreOn(undefined)
    setView((v) => centred(centrePoint, v.zoom < MIN_LEGIBLE ? LEGIBLE : v.zoom))
  }

  const finder = useFindInGraph(nodes, (target) => {
    const group = groupOf.get(target.id)
    if (group) setExpanded((open) => new Set([...open, group.id]))
    setCentreOn(target.id)
    onSelect(target)
  })
  const matched = finder.matched

  const flowNodes = useMemo((): LineageFlowNode[] => {
    const lit = (id: string) => highlighted.size === 0 || highlighted.has(id)
    const place = (id: string) => {
      const point = layout.at.get(id) ?? { x: 0, y: 0 }
      // The keyboard can reach a node outside the view: bring it in.
      const onReveal = () =>
        setView((v) => {
          const left = (point.x - NODE_WIDTH / 2) * v.zoom + v.x
          const top = (point.y - NODE_HEIGHT / 2) * v.zoom + v.y
          const inside =
            left >= 0 &&
            top >= 0 &&
            left + NODE_WIDTH * v.zoom <= viewWidth &&
            top + NODE_HEIGHT * v.zoom <= viewHeight
          return inside ? v : centred(point, v.zoom)
        })
      return {
        id,
        position: { x: point.x - NODE_WIDTH / 2, y: point.y - NODE_HEIGHT / 2 },
        // Known sizes let React Flow draw nodes before (or without) measuring them.
        width: NODE_WIDTH,
        height: NODE_HEIGHT,
        // The button inside is what takes focus and has a role; the wrapper stays plain.
        domAttributes: { 'aria-roledescription': undefined },
        onReveal,
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
            onActivate: () => {
              setExpanded((open) => new Set([...open, group.id]))
              setCentreOn(group.anchor)
            },
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
            onActivate: () => onSelect(node),
            onReveal,
          },
        }
      }),
    ]
  }, [
    collapsed,
    layout,
    nodes,
    selected,
    focus,
    matched,
    highlighted,
    onSelect,
    centred,
    viewWidth,
    viewHeight,
  ])

  const flowEdges = useMemo((): Edge[] => {
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
  }, [layout, nodes, highlighted, collapsed])

  const folded = collapsed.groups.reduce((n, g) => n + g.members.length, 0)
  const datasets = nodes.filter((n) => n.type === 'DATASET').length
  const jobs = nodes.filter((n) => n.type === 'JOB').length

  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap" align="center">
        <FindInGraph finder={finder} />
        <Text size="sm" c="dimmed">
          {`${plural(datasets, 'dataset')}, ${plural(jobs, 'job')}${folded > 0 ? ` (${folded} folded into ${plural(collapsed.groups.length, 'group')})` : ''}`}
        </Text>
        {folded > 0 && (
          <Button
            size="sm"
            variant="light"
            onClick={() => {
              setShowAll(true)
              setCentreOn(focus)
            }}
          >
            Show all
          </Button>
        )}
        {(showAll || expanded.size > 0) && (
          <Button
            size="sm"
            variant="light"
            onClick={() => {
              setShowAll(false)
              setExpanded(new Set())
              setCentreOn(focus)
            }}
          >
            Fold wide fans
          </Button>
        )}
      </Group>
      <Box
        ref={stage}
        role="group"
        aria-label="Lineage graph"
        h={{ base: 420, sm: 520 }}
        bd="1px solid var(--mantine-color-gray-4)"
        bg="white"
        style={{ borderRadius: 'var(--mantine-radius-sm)', overflow: 'hidden' }}
      >
        <ReactFlow
          className="lineage-flow"
          nodes={flowNodes}
          edges={flowEdges}
          nodeTypes={nodeTypes}
          viewport={view}
          onViewportChange={setView}
          minZoom={0.1}
          maxZoom={4}
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          // The node buttons take the keyboard themselves; React Flow's node keys would not select.
          disableKeyboardA11y
          ariaLabelConfig={ARIA_LABELS}
          attributionPosition="top-right"
        >
          <Background gap={24} />
          <Controls showInteractive={false} fitViewOptions={{ maxZoom: 1, padding: 0.05 }} />
          {fit.zoom < 1 && (
            <MiniMap
              ariaLabel="Overview of the whole graph"
              // Smaller on a phone, where the full size would cover most of the view.
              style={viewWidth < 600 ? { width: 120, height: 90 } : undefined}
              pannable
              zoomable
              onClick={(_, position) => setView((v) => centred(position, v.zoom))}
              nodeColor={(node: LineageFlowNode) =>
                node.type === 'fold'
                  ? '#c9d1d9'
                  : node.data.selected || node.data.focus || node.data.matched
                    ? '#0b4f8a'
                    : node.data.kind === 'DATASET'
                      ? '#9cc3e4'
                      : '#f2c46d'
              }
            />
          )}
        </ReactFlow>
      </Box>
    </Stack>
  )
}
