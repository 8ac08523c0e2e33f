import { useElementSize } from '@mantine/hooks'
import type { Viewport } from '@xyflow/react'
import { useCallback, useMemo, useState } from 'react'
import type { LineageNode } from '../api/use-lineage.js'
import { type GraphLayout, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js'

/** The view's size until React Flow has measured it (never, in a page that is not drawn). */
const VIEW_WIDTH = 960
const VIEW_HEIGHT = 480
/**
 * The smallest scale the graph is drawn at: its smallest text (14 px) stays 12 px or more.
 * A graph larger than the view at this scale opens around its focus; the overview shows the rest.
 */
export const MIN_ZOOM = 0.86
export const MAX_ZOOM = 2
const ZOOM_STEP = 1.25

interface Point {
  x: number
  y: number
}

/**
 * Where the view of the graph is (pan and zoom), and the moves the graph makes on its own:
 * opening a new graph, centring on a node once it is laid out, bringing a node the keyboard
 * reached into view, going where the overview was clicked. `stage` goes on the box the view fills.
 */
export function useGraphView(layout: GraphLayout, nodes: LineageNode[], focus: string) {
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
    (point: Point, zoom: number): Viewport => ({
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
  // The whole graph when that is legible, else around the focus (or the middle) at MIN_ZOOM.
  const legibleFit = useCallback((): Viewport => {
    if (fit.zoom >= MIN_ZOOM) return fit
    return centred(layout.at.get(focus) ?? { x: layout.width / 2, y: layout.height / 2 }, MIN_ZOOM)
  }, [fit, centred, layout, focus])
  const [view, setView] = useState<Viewport>(legibleFit)
  if (opened?.nodes !== nodes || opened.focus !== focus || opened.measured !== measured) {
    setOpened({ nodes, focus, measured })
    setView(legibleFit())
  }
  // Where to move the view once the next layout has placed it (a found node, an opened group).
  const [centreTarget, setCentreTarget] = useState<string | undefined>()
  const centrePoint = centreTarget ? layout.at.get(centreTarget) : undefined
  if (centrePoint) {
    setCentreTarget(undefined)
    setView((v) => centred(centrePoint, Math.max(v.zoom, MIN_ZOOM)))
  }

  // The keyboard can reach a node outside the view: bring it in.
  const reveal = useCallback(
    (point: Point) =>
      setView((v) => {
        const left = (point.x - NODE_WIDTH / 2) * v.zoom + v.x
        const top = (point.y - NODE_HEIGHT / 2) * v.zoom + v.y
        const inside =
          left >= 0 &&
          top >= 0 &&
          left + NODE_WIDTH * v.zoom <= viewWidth &&
          top + NODE_HEIGHT * v.zoom <= viewHeight
        return inside ? v : centred(point, v.zoom)
      }),
    [centred, viewWidth, viewHeight],
  )
  const panTo = useCallback((point: Point) => setView((v) => centred(point, v.zoom)), [centred])
  // Zooms about the middle of the view, within what stays legible.
  const zoomBy = useCallback(
    (factor: number) =>
      setView((v) => {
        const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.zoom * factor))
        const middle = { x: (viewWidth / 2 - v.x) / v.zoom, y: (viewHeight / 2 - v.y) / v.zoom }
        return centred(middle, zoom)
      }),
    [centred, viewWidth, viewHeight],
  )
  const centreOn: (id: string) => void = setCentreTarget

  return {
    stage,
    /** The view's width, measured or assumed. */
    width: viewWidth,
    /** The whole graph in view, no larger than 1:1. */
    fit,
    view,
    setView,
    /** Centres the view on a node once the next layout has placed it. */
    centreOn,
    reveal,
    panTo,
    zoomIn: () => zoomBy(ZOOM_STEP),
    zoomOut: () => zoomBy(1 / ZOOM_STEP),
    /** The whole graph if it is legible so, else the view around the focus at the legible scale. */
    fitView: () => setView(legibleFit()),
  }
}
