import type { PointerEvent } from 'react'

const MAP_WIDTH = 220
const MAP_MAX_HEIGHT = 140

export interface MinimapBox {
  id: string
  x: number
  y: number
  kind: 'DATASET' | 'JOB' | 'GROUP'
  /** Drawn stronger: the focus, the selection, a traced column's path, a found node. */
  marked: boolean
}

/**
 * The whole graph in small, with the part in view outlined: click or drag on it to move the view
 * there. For graphs too big to read whole.
 */
export function GraphMinimap({
  boxes,
  boxWidth,
  boxHeight,
  width,
  height,
  view,
  viewWidth,
  viewHeight,
  onCentre,
}: {
  boxes: readonly MinimapBox[]
  boxWidth: number
  boxHeight: number
  /** The laid-out graph's size. */
  width: number
  height: number
  /** The main view's transform and size. */
  view: { k: number; x: number; y: number }
  viewWidth: number
  viewHeight: number
  onCentre: (x: number, y: number) => void
}) {
  const scale = Math.min(MAP_WIDTH / width, MAP_MAX_HEIGHT / height)
  // Shrunk to the graph's shape: a tall graph gets a narrow overview, not an empty box.
  const mapWidth = Math.max(24, width * scale)
  const mapHeight = Math.max(24, height * scale)
  const centreAt = (event: PointerEvent<SVGSVGElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const x = ((event.clientX - box.left) / (box.width || mapWidth)) * mapWidth
    const y = ((event.clientY - box.top) / (box.height || mapHeight)) * mapHeight
    onCentre(x / scale, y / scale)
  }
  return (
    <svg
      className="lineage-minimap"
      aria-label="Overview of the whole graph"
      width={mapWidth}
      height={mapHeight}
      viewBox={`0 0 ${mapWidth} ${mapHeight}`}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture?.(event.pointerId)
        centreAt(event)
      }}
      onPointerMove={(event) => {
        if (event.buttons === 1) centreAt(event)
      }}
    >
      <rect width={mapWidth} height={mapHeight} fill="#f6f8fa" stroke="#c9d1d9" />
      {boxes.map((b) => (
        <rect
          key={b.id}
          x={(b.x - boxWidth / 2) * scale}
          y={(b.y - boxHeight / 2) * scale}
          width={Math.max(2, boxWidth * scale)}
          height={Math.max(2, boxHeight * scale)}
          fill={
            b.marked
              ? '#0b4f8a'
              : b.kind === 'DATASET'
                ? '#9cc3e4'
                : b.kind === 'JOB'
                  ? '#f2c46d'
                  : '#c9d1d9'
          }
        />
      ))}
      <rect
        data-testid="minimap-viewport"
        x={(-view.x / view.k) * scale}
        y={(-view.y / view.k) * scale}
        width={(viewWidth / view.k) * scale}
        height={(viewHeight / view.k) * scale}
        fill="none"
        stroke="#d1242f"
        strokeWidth={1.5}
      />
    </svg>
  )
}
