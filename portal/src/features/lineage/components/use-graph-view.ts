import { useElementSize } from '@mantine/hooks'
import type { Viewport } from '@xyflow/react'
import { useCallback, useMemo, useState } from 'react'
import type { LineageNode } from '../api/use-lineage.js'
import { type GraphLayout, NODE_HEIGHT, NODE_WIDTH } from './graph-layout.js'

/** The view's size until React Flow has measured it (never, in a page that is not drawn). */
const VIEW_WIDTH = 960
const VIEW_HEIGHT = 480
/** Below this scale names are too small to read; large graphs open at LEGIBLE instead. */
const MIN_LEGIBLE = 0.6
const LEGIBLE = 0.85

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
  const [view, setView] = useState<Viewport>(fit)
  if (opened?.nodes !== nodes || opened.focus !== focus || opened.measured !== measured) {
    setOpened({ nodes, focus, measured })
    const point = layout.at.get(focus)
    setView(fit.zoom >= MIN_LEGIBLE || !point ? fit : centred(point, LEGIBLE))
  }
  // Where to move the view once the next layout has placed it (a found node, an opened group).
  const [centreTarget, setCentreTarget] = useState<string | undefined>()
  const centrePoint = centreTarget ? layout.at.get(centreTarget) : undefined
  if (centrePoint) {
    setCentreTarget(undefined)
    setView((v) => centred(centrePoint, v.zoom < MIN_LEGIBLE ? LEGIBLE : v.zoom))
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
  }
}
