import { parse, View } from 'vega'
import { type Config, compile, type TopLevelSpec } from 'vega-lite'

/**
 * The look the report's charts share: the title on the left, text a little larger than Vega's.
 * Labels are never cut short: without a canvas Vega guesses text widths generously (0.8 em a
 * character), so any limit would cut labels that fit.
 */
const CONFIG: Config = {
  font: 'sans-serif',
  title: { fontSize: 15, anchor: 'start', offset: 12 },
  axis: { labelFontSize: 12, titleFontSize: 13, labelLimit: 0 },
  legend: { labelFontSize: 12, labelLimit: 0 },
}

/**
 * Draws a Vega-Lite chart as a standalone SVG document, headlessly: Vega-Lite compiles it to a
 * Vega spec, and a Vega view without a renderer of its own writes it as SVG text, escaping every
 * title and label.
 * @example await renderChart({ title: 'Sizes', data: { values }, mark: 'bar', encoding })
 */
export async function renderChart(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec, { config: CONFIG }).spec), { renderer: 'none' })
  try {
    return `${await view.toSVG()}\n`
  } finally {
    view.finalize()
  }
}
