import { renderChart } from './render-chart.js'

/** One row of a grouped bar chart: its label and one value per series. */
export interface BarGroup {
  label: string
  values: number[]
}

export interface GroupedBarOptions {
  unit?: string
  digits?: number
  /** The value of a full-length bar (default: the largest value). */
  max?: number
  target?: { value: number; label: string }
  /** One colour per series (default: grey, then blue, green, ochre). */
  colours?: readonly string[]
}

/** The bars' length axis, which the target line shares. */
type BarAxis = {
  field: string
  type: 'quantitative'
  scale: { domain: number[] }
  title: string | null
}

const COLOURS = ['#9aa5b1', '#0b4f8a', '#1e8449', '#b9770e']
const TARGET_COLOUR = '#c0392b'

/**
 * Horizontal bars in groups, with one bar per series in each group (e.g. old and new), each with
 * its value beside it, a legend of the series, and an optional dashed target line.
 * @example await groupedBarChart('Loss (%)', ['old', 'new'], [{ label: 'persons', values: [40, 30] }], { unit: '%' })
 */
export function groupedBarChart(
  title: string,
  series: readonly string[],
  groups: readonly BarGroup[],
  options: GroupedBarOptions = {},
): Promise<string> {
  const max = Math.max(
    options.max ?? 0,
    ...groups.flatMap((g) => g.values),
    options.target?.value ?? 0,
    0.001,
  )
  const x: BarAxis = {
    field: 'bar',
    type: 'quantitative',
    scale: { domain: [0, max] },
    title: options.unit || null,
  }
  return renderChart({
    title,
    width: 420,
    height: { step: 19, for: 'offset' },
    // The groups' labels, which the y axis shows in place of the groups' numbers.
    params: [{ name: 'groups', value: groups.map((g) => g.label) }],
    layer: [barsLayer(series, groups, options, x), ...targetLayers(options.target, x)],
  })
}

/** The bars, a row of them per group and a colour per series, each with its value beside it. */
function barsLayer(
  series: readonly string[],
  groups: readonly BarGroup[],
  options: GroupedBarOptions,
  x: BarAxis,
) {
  const colours = options.colours ?? COLOURS
  const colour = {
    field: 'series',
    type: 'nominal' as const,
    scale: {
      domain: [...series],
      range: series.map((_, i) => colours[i % colours.length] as string),
    },
    legend: { title: null, orient: 'top' as const },
  }
  return {
    data: { values: barsOf(series, groups, options) },
    encoding: {
      y: { field: 'group', type: 'ordinal' as const, title: null, axis: groupAxis(groups) },
      yOffset: { field: 'series', type: 'nominal' as const, sort: null },
      x,
      description: { field: 'description' },
    },
    layer: [
      { mark: 'bar' as const, encoding: { color: colour } },
      {
        mark: { type: 'text' as const, align: 'left' as const, dx: 4 },
        encoding: { text: { field: 'text' } },
      },
    ],
  }
}

/** One datum per bar: a bar's length is never below zero, though its text tells the value. */
function barsOf(
  series: readonly string[],
  groups: readonly BarGroup[],
  options: GroupedBarOptions,
) {
  const unit = options.unit ?? ''
  const digits = options.digits ?? 1
  const glued = unit === '%' || unit === '×'
  return groups.flatMap((g, group) =>
    g.values.map((value, i) => {
      const text = `${value.toFixed(digits)}${glued ? unit : ` ${unit}`}`.trim()
      const name = series[i] ?? `series ${i + 1}`
      return {
        group,
        series: name,
        bar: Math.max(value, 0),
        text,
        description: `${g.label}, ${name}: ${text}`,
      }
    }),
  )
}

const groupAxis = (groups: readonly BarGroup[]) => ({
  labelExpr: 'groups[datum.value]',
  ticks: false,
  description: `Groups: ${groups.map((g) => g.label).join(', ')}`,
})

/** The target as a dashed line across the plot, its label above the plot's top. */
function targetLayers(target: GroupedBarOptions['target'], x: BarAxis) {
  if (!target) return []
  const data = { values: [{ bar: target.value, text: target.label }] }
  const encoding = { x, description: { field: 'text' } }
  return [
    { data, mark: { type: 'rule' as const, color: TARGET_COLOUR, strokeDash: [5, 4] }, encoding },
    {
      data,
      mark: {
        type: 'text' as const,
        color: TARGET_COLOUR,
        align: 'left' as const,
        baseline: 'bottom' as const,
        dx: 4,
        y: -4,
      },
      encoding: { ...encoding, text: { field: 'text' } },
    },
  ]
}
