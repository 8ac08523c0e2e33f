import { renderChart } from './render-chart.js'

/** One line of a chart: its name in the legend and its points, x ascending. */
export interface LineSeries {
  name: string
  points: [number, number][]
}

const COLOURS = [
  '#0b4f8a',
  '#c0392b',
  '#1e8449',
  '#b9770e',
  '#6c3483',
  '#17a2b8',
  '#5d6d7e',
  '#e84393',
]
/** 1,500 → 1.5k, 6,000,000 → 6M, 0.02 → 0.02. */
const COMPACT =
  "abs(datum.value) >= 1000 ? format(datum.value, '.3~s') : format(datum.value, '.3~g')"

/**
 * A line chart as SVG: one line per series with a dot per point, axes with their titles, and a
 * legend. With `log: true` both axes are logarithmic, so a power law shows as a straight line
 * whose slope is its exponent (points at or below zero are left out).
 * @example await lineChart('Fusion time', [{ name: 'persons', points: [[1e4, 0.2], [1e6, 9]] }], 'rows', 's', { log: true })
 */
export function lineChart(
  title: string,
  series: LineSeries[],
  xLabel: string,
  yLabel: string,
  options: { log?: boolean } = {},
): Promise<string> {
  const log = options.log ?? false
  const values = pointsOf(series, log)
  const position = (field: 'x' | 'y', label: string) => ({
    field,
    type: 'quantitative' as const,
    title: label + (log ? ' (log scale)' : ''),
    scale: log ? ({ type: 'log' } as const) : ({ type: 'linear', zero: true } as const),
    axis: {
      labelExpr: COMPACT,
      ...(log ? { values: logTicks(values.map((p) => p[field])) } : {}),
    },
  })
  return renderChart({
    title,
    width: 500,
    height: 336,
    data: { values },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: position('x', xLabel),
      y: position('y', yLabel),
      ...seriesEncoding(series.map((s) => s.name)),
    },
  })
}

/** A colour per series, and past the palette its colours again, dashed: one legend shows both. */
function seriesEncoding(names: string[]) {
  const legend = { title: null, symbolType: 'stroke', symbolSize: 400, symbolStrokeWidth: 3 }
  const channel = <T>(range: T[]) => ({
    field: 'series',
    type: 'nominal' as const,
    sort: null,
    scale: { domain: names, range },
    legend,
  })
  return {
    color: channel(names.map((_, i) => COLOURS[i % COLOURS.length] as string)),
    strokeDash: channel(names.map((_, i) => (i < COLOURS.length ? [1, 0] : [6, 4]))),
  }
}

/** One datum per point that the axes can show. */
function pointsOf(series: LineSeries[], log: boolean) {
  return series.flatMap((s) =>
    s.points
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || (x > 0 && y > 0)))
      .map(([x, y]) => ({ series: s.name, x, y })),
  )
}

/** A log axis's ticks: each power of ten, and within two decades also its 2 and 5. */
function logTicks(values: number[]): number[] {
  if (values.length === 0) return []
  const low = Math.floor(Math.log10(Math.min(...values)) + 1e-9)
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(...values)) - 1e-9))
  const steps = high - low <= 2 ? [1, 2, 5] : [1]
  const ticks: number[] = []
  for (let e = low; e <= high; e++)
    for (const m of steps)
      if (e + Math.log10(m) <= high) ticks.push(Number((m * 10 ** e).toPrecision(1)))
  return ticks
}
