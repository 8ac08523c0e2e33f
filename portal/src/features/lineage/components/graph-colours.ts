/**
 * The graph's colours. Every text colour here keeps 4.5:1 (WCAG AA) on every fill it is drawn
 * on (graph-colours.test.ts measures each pair); the words carry meaning, colour repeats it.
 */
export const GRAPH_COLOURS = {
  text: '#1f2933',
  dimmed: '#55606e',
  datasetFill: '#e7f1fa',
  jobFill: '#fff6e0',
  fadedFill: '#f8f9fa',
  groupFill: '#f1f3f5',
  outsideFill: '#ffffff',
  rowFill: '#ffffff',
  /** A traced column's row and the links between traced columns. */
  traced: '#0b4f8a',
  tracedText: '#ffffff',
  border: '#6b7580',
  fadedBorder: '#ced4da',
  /** Arrows between datasets and jobs. */
  edge: '#5b6770',
  fadedEdge: '#d5dade',
} as const

/** Small labels ("lineage only", "outside the graph", "assumed"): text on its own tint. */
export const BADGE_COLOURS = {
  neutral: { color: '#3d4751', background: '#eef1f4', border: '#6b7580' },
  warn: { color: '#7a4a00', background: '#fff4e0', border: '#b07a1a' },
} as const

/** The text and fill pairs the graph and its badges draw, for the contrast test. */
export const TEXT_ON_FILL: readonly (readonly [string, string])[] = [
  ...[
    GRAPH_COLOURS.datasetFill,
    GRAPH_COLOURS.jobFill,
    GRAPH_COLOURS.fadedFill,
    GRAPH_COLOURS.groupFill,
    GRAPH_COLOURS.outsideFill,
    GRAPH_COLOURS.rowFill,
  ].flatMap((fill) => [[GRAPH_COLOURS.text, fill] as const, [GRAPH_COLOURS.dimmed, fill] as const]),
  [GRAPH_COLOURS.tracedText, GRAPH_COLOURS.traced],
  [BADGE_COLOURS.neutral.color, BADGE_COLOURS.neutral.background],
  [BADGE_COLOURS.warn.color, BADGE_COLOURS.warn.background],
]
