import '@xyflow/react/dist/style.css'
import './lineage-graph.css'
import { Box, Button, Group, Stack } from '@mantine/core'
import { Background, ReactFlow, ReactFlowProvider } from '@xyflow/react'
import { useCallback, useMemo } from 'react'
import type { LineageNode } from '../api/use-lineage.js'
import type { NodeGroup } from './collapse-groups.js'
import type { ColumnTrace } from './column-trace.js'
import { toFlowEdges } from './flow-edges.js'
import { toFlowNodes } from './flow-nodes.js'
import { useFindInGraph } from './graph-find.js'
import { nodeTypes } from './graph-nodes.js'
import { GraphOverview } from './graph-overview.js'
import { GraphToolbar } from './graph-toolbar.js'
import { useFoldedGraph } from './use-folded-graph.js'
import { MAX_ZOOM, MIN_ZOOM, useGraphView } from './use-graph-view.js'

const ARIA_LABELS = { 'minimap.ariaLabel': 'Overview of the whole graph' }

interface GraphProps {
  nodes: LineageNode[]
  focus: string
  selected: string | undefined
  highlighted: ReadonlySet<string>
  /** A traced column over the graph: rows in its datasets, links between them, outside sources. */
  trace: ColumnTrace
  /** The traced column itself: its dataset's node and its name. */
  start?: { node: string; field: string }
  onSelect: (node: LineageNode) => void
}

/**
 * The lineage graph on React Flow, laid out by dagre: datasets (rounded) and jobs (square) in
 * layers from sources to consumers. Drag to pan, wheel or the buttons to zoom; click a node to
 * select it (Enter or Space too). `highlighted` marks the nodes a selected column flows through.
 * Wide fan-outs fold into group nodes that open on click; a graph too big for the view gets an
 * overview to move around in, and "Find" goes to a node by name, opening its group if it is folded.
 * A traced column's datasets list its columns, with an arrow per hop from row to row. Text stays
 * 12 px or more (the zoom stops there), and the zoom buttons and overview sit outside the drawing.
 */
export function LineageGraph(props: GraphProps) {
  return (
    <ReactFlowProvider>
      <LineageCanvas {...props} />
    </ReactFlowProvider>
  )
}

function LineageCanvas({
  nodes,
  focus,
  selected,
  highlighted,
  trace,
  start,
  onSelect,
}: GraphProps) {
  const { collapsed, groupOf, layout, isUnfolded, expand, unfoldAll, foldAll } = useFoldedGraph(
    nodes,
    focus,
    highlighted,
    trace,
  )
  const { stage, width, fit, view, setView, centreOn, reveal, panTo, zoomIn, zoomOut, fitView } =
    useGraphView(layout, nodes, focus)

  const finder = useFindInGraph(nodes, (target) => {
    const group = groupOf.get(target.id)
    if (group) expand(group.id)
    centreOn(target.id)
    onSelect(target)
  })
  const matched = finder.matched

  const openGroup = useCallback(
    (group: NodeGroup) => {
      expand(group.id)
      centreOn(group.anchor)
    },
    [expand, centreOn],
  )
  const flowNodes = useMemo(
    () =>
      toFlowNodes({
        nodes,
        collapsed,
        layout,
        selected,
        focus,
        matched,
        highlighted,
        trace,
        start,
        onSelect,
        onOpenGroup: openGroup,
        onReveal: reveal,
      }),
    [
      nodes,
      collapsed,
      layout,
      selected,
      focus,
      matched,
      highlighted,
      trace,
      start,
      onSelect,
      openGroup,
      reveal,
    ],
  )
  const flowEdges = useMemo(
    () => toFlowEdges({ nodes, collapsed, layout, highlighted, trace }),
    [nodes, collapsed, layout, highlighted, trace],
  )

  return (
    <Stack gap="xs">
      <GraphToolbar
        finder={finder}
        nodes={nodes}
        groups={collapsed.groups}
        isUnfolded={isUnfolded}
        onShowAll={() => {
          unfoldAll()
          centreOn(focus)
        }}
        onFold={() => {
          foldAll()
          centreOn(focus)
        }}
      />
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
          minZoom={MIN_ZOOM}
          maxZoom={MAX_ZOOM}
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
        </ReactFlow>
      </Box>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Group role="group" aria-label="Zoom" gap="xs">
          <Button size="sm" variant="default" onClick={zoomOut} disabled={view.zoom <= MIN_ZOOM}>
            Zoom out
          </Button>
          <Button size="sm" variant="default" onClick={zoomIn} disabled={view.zoom >= MAX_ZOOM}>
            Zoom in
          </Button>
          <Button size="sm" variant="default" onClick={fitView}>
            {fit.zoom < MIN_ZOOM ? 'Back to the start' : 'Fit the whole graph in view'}
          </Button>
        </Group>
        {fit.zoom < 1 && <GraphOverview viewWidth={width} onMove={panTo} />}
      </Group>
    </Stack>
  )
}
