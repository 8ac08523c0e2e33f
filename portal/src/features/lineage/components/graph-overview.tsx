import { MiniMap, type XYPosition } from '@xyflow/react'
import type { LineageFlowNode } from './graph-nodes.js'

const colourOf = (node: LineageFlowNode) =>
  node.type === 'fold'
    ? '#c9d1d9'
    : node.data.selected || node.data.focus || node.data.matched
      ? '#0b4f8a'
      : node.data.kind === 'DATASET'
        ? '#9cc3e4'
        : '#f2c46d'

/**
 * The whole graph in small, inside React Flow, to move around in: drag or wheel it, or click
 * where the view should go. Selected, focus and found nodes stand out.
 */
export function GraphOverview({
  viewWidth,
  onMove,
}: {
  viewWidth: number
  onMove: (position: XYPosition) => void
}) {
  return (
    <MiniMap
      ariaLabel="Overview of the whole graph"
      // Smaller on a phone, where the full size would cover most of the view.
      style={viewWidth < 600 ? { width: 120, height: 90 } : undefined}
      pannable
      zoomable
      onClick={(_, position) => onMove(position)}
      nodeColor={colourOf}
    />
  )
}
