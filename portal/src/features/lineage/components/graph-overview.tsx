import { MiniMap, type XYPosition } from '@xyflow/react'
import type { LineageFlowNode } from './graph-nodes.js'

const colourOf = (node: LineageFlowNode) =>
  node.type === 'fold' || node.type === 'outside'
    ? '#c9d1d9'
    : node.data.selected || node.data.focus || node.data.matched
      ? '#0b4f8a'
      : node.data.kind === 'DATASET'
        ? '#9cc3e4'
        : '#f2c46d'

/**
 * The whole graph in small, to move around in: drag or wheel it, or click where the view should
 * go. Selected, focus and found nodes stand out. It sits outside the drawing (under it), so it
 * never covers a node; it needs React Flow's provider around it, not the flow itself.
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
      // In the flow of the page, not over the drawing; smaller on a phone.
      style={{
        position: 'static',
        margin: 0,
        ...(viewWidth < 600 ? { width: 150, height: 100 } : { width: 200, height: 130 }),
      }}
      // Outside the flow, React Flow's colour variables do not reach it: its colours are given.
      bgColor="#ffffff"
      maskColor="rgba(226, 232, 240, 0.75)"
      maskStrokeColor="#0b4f8a"
      maskStrokeWidth={2}
      pannable
      zoomable
      onClick={(_, position) => onMove(position)}
      nodeColor={colourOf}
    />
  )
}
