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
const WIDTH = 900
const HEIGHT = 440
const PLOT = { left: 80, right: 580, top: 44, bottom: 380 }

/**
 * A small line chart as SVG: one line per series, with axes, ticks and a legend. With
 * `log: true` both axes are logarithmic, so a power law shows as a straight line whose slope is
 * its exponent (points at or below zero are left out).
 * @example lineChart('Fusion time', [{ name: 'persons', points: [[1e4, 0.2], [1e6, 9]] }], 'rows', 's', { log: true })
 */
export function lineChart(
  title: string,
  series: LineSeries[],
  xLabel: string,
  yLabel: string,
  options: { log?: boolean } = {},
): string {
  const log = options.log ?? false
  const usable = series.map((s) => ({
    ...s,
    points: s.points.filter(
      ([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!log || (x > 0 && y > 0)),
    ),
  }))
  const all = usable.flatMap((s) => s.points)
  const xAxis = axis(
    all.map(([x]) => x),
    log,
  )
  const yAxis = axis(
    all.map(([, y]) => y),
    log,
  )
  const px = (x: number) =>
    PLOT.left + ((xAxis.to(x) - xAxis.min) / (xAxis.max - xAxis.min)) * (PLOT.right - PLOT.left)
  const py = (y: number) =>
    PLOT.bottom - ((yAxis.to(y) - yAxis.min) / (yAxis.max - yAxis.min)) * (PLOT.bottom - PLOT.top)
  const grid = [
    ...xAxis.ticks.map(
      (t) =>
        `<line x1="${px(t)}" y1="${PLOT.top}" x2="${px(t)}" y2="${PLOT.bottom}" stroke="#e5e5e5"/><text x="${px(t)}" y="${PLOT.bottom + 18}" font-size="12" text-anchor="middle">${compact(t)}</text>`,
    ),
    ...yAxis.ticks.map(
      (t) =>
        `<line x1="${PLOT.left}" y1="${py(t)}" x2="${PLOT.right}" y2="${py(t)}" stroke="#e5e5e5"/><text x="${PLOT.left - 8}" y="${py(t) + 4}" font-size="12" text-anchor="end">${compact(t)}</text>`,
    ),
  ].join('')
  const lines = usable
    .map((s, i) => {
      const colour = COLOURS[i % COLOURS.length]
      // Past the palette, lines repeat its colours dashed.
      const dash = i >= COLOURS.length ? ' stroke-dasharray="6 4"' : ''
      const path = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')
      const dots = s.points
        .map(
          ([x, y]) =>
            `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3.5" fill="${colour}"/>`,
        )
        .join('')
      const legendY = PLOT.top + 6 + i * 22
      return `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"${dash}/>${dots}<line x1="${PLOT.right + 16}" y1="${legendY - 7}" x2="${PLOT.right + 36}" y2="${legendY - 7}" stroke="${colour}" stroke-width="3"${dash}/><text x="${PLOT.right + 42}" y="${legendY - 3}" font-size="12">${escapeXml(s.name)}</text>`
    })
    .join('')
  const scaleNote = log ? ' (log scale)' : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif"><text x="10" y="22" font-size="15" font-weight="bold">${escapeXml(title)}</text>${grid}<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#888"/>${lines}<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 42}" font-size="13" text-anchor="middle">${escapeXml(xLabel + scaleNote)}</text><text x="18" y="${(PLOT.top + PLOT.bottom) / 2}" font-size="13" text-anchor="middle" transform="rotate(-90 18 ${(PLOT.top + PLOT.bottom) / 2})">${escapeXml(yLabel + scaleNote)}</text></svg>\n`
}

/** The range an axis shows (in its own units: log10 for a log axis) and where its ticks are. */
function axis(values: number[], log: boolean) {
  const to = log ? Math.log10 : (v: number) => v
  if (values.length === 0) return { to, min: 0, max: 1, ticks: [] as number[] }
  const low = Math.min(...values)
  const high = Math.max(...values)
  if (log) {
    const min = Math.floor(Math.log10(low) + 1e-9)
    const max = Math.max(min + 1, Math.ceil(Math.log10(high) - 1e-9))
    const ticks: number[] = []
    for (let e = min; e <= max; e++) {
      // Within few decades, 2 and 5 of each decade help read values off the chart.
      const steps = max - min <= 2 ? [1, 2, 5] : [1]
      for (const m of steps) if (e + Math.log10(m) <= max) ticks.push(m * 10 ** e)
    }
    return { to, min, max, ticks }
  }
  const span = high > 0 ? high : 1
  const step = niceStep(span / 5)
  const max = Math.ceil(span / step) * step
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step)
  return { to, min: 0, max, ticks }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw))
  const m = raw / power
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power
}

/** 1,500 → 1.5k, 6,000,000 → 6M, 0.02 → 0.02. */
function compact(value: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ]
  for (const [size, suffix] of units)
    if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${suffix}`
  return String(Number(value.toPrecision(3)))
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
