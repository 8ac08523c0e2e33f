import { renderChart } from './render-chart.js'

/**
 * A horizontal bar chart as SVG: one bar per label, in the order given, each with its value and
 * unit beside it. Bars are told apart by position, so two bars may share a label.
 * @example await barChart('Fusion (median seconds)', [['SQL', 1.2], ['pipeline', 0.9]])
 */
export function barChart(title: string, bars: [string, number][], unit = 's'): Promise<string> {
  const values = bars.map(([label, value], row) => ({
    row,
    value,
    text: `${value.toFixed(2)} ${unit}`,
    description: `${label}: ${value.toFixed(2)} ${unit}`,
  }))
  const labels = bars.map(([label]) => label)
  return renderChart({
    title,
    width: 360,
    height: { step: 34 },
    // The rows' labels, which the y axis shows in place of the rows' numbers.
    params: [{ name: 'labels', value: labels }],
    data: { values },
    encoding: {
      y: {
        field: 'row',
        type: 'ordinal',
        title: null,
        axis: {
          labelExpr: 'labels[datum.value]',
          ticks: false,
          description: `Bars: ${labels.join(', ')}`,
        },
      },
      x: { field: 'value', type: 'quantitative', title: unit },
      description: { field: 'description' },
    },
    layer: [
      { mark: { type: 'bar', color: '#0b4f8a' } },
      { mark: { type: 'text', align: 'left', dx: 4 }, encoding: { text: { field: 'text' } } },
    ],
  })
}
