import '@xyflow/react/dist/style.css'
import './lineage-graph.css'
import { Box, Stack } from '@mantine/core'
import { Background, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react'
import { useCallback, useMemo } from 'react'
import type { LineageNode } from '../api/use-lineage.js'
import type { NodeGroup } from './collapse-groups.js'
import { toFlowEdges } from './flow-edges.js'
import { toFlowNodes } from './flow-nodes.js'
import { useFindInGraph } from './graph-find.js'
import { nodeTypes } from './graph-nodes.js'
import { GraphOverview } from './graph-overview.js'
import { GraphToolbar } from './graph-toolbar.js'
import { useFoldedGraph } from './use-folded-graph.js'
import { useGraphView } from './use-graph-view.js'

const ARIA_LABELS = {
  'controls.ariaLabel': 'Zoom',
  'controls.zoomIn.ariaLabel': 'Zoom in',
  'controls.zoomOut.ariaLabel': 'Zoom out',
  'controls.fitView.ariaLabel': 'Fit the whole graph in view',
  'minimap.ariaLabel': 'Overview of the whole graph',
}

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
  const { collapsed, groupOf, layout, isUnfolded, expand, unfoldAll, foldAll } = useFoldedGraph(
    nodes,
    focus,
    highlighted,
  )
  const { stage, width, fit, view, setView, centreOn, reveal, panTo } = useGraphView(
    layout,
    nodes,
    focus,
  )

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
        onSelect,
        onOpenGroup: openGroup,
        onReveal: reveal,
      }),
    [nodes, collapsed, layout, selected, focus, matched, highlighted, onSelect, openGroup, reveal],
  )
  const flowEdges = useMemo(
    () => toFlowEdges({ nodes, collapsed, layout, highlighted }),
    [nodes, collapsed, layout, highlighted],
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
          {fit.zoom < 1 && <GraphOverview viewWidth={width} onMove={panTo} />}
        </ReactFlow>
      </Box>
    </Stack>
  )
}
