/** One row of a grouped bar chart: its label and one value per series. */
export interface BarGroup {
  label: string
  values: number[]
}

const COLOURS = ['#9aa5b1', '#0b4f8a', '#1e8449', '#b9770e']
const LABEL_WIDTH = 300
const BAR_SPACE = 420
const BAR = 16

/**
 * Horizontal bars in groups, as bar-chart.ts draws them but with one bar per series in each
 * group (e.g. old and new), a legend, and an optional dashed target line.
 * @example groupedBarChart('Loss (%)', ['old', 'new'], [{ label: 'persons', values: [40, 30] }], { unit: '%' })
 */
export function groupedBarChart(
  title: string,
  series: readonly string[],
  groups: readonly BarGroup[],
  options: {
    unit?: string
    digits?: number
    /** The value of a full-length bar (default: the largest value). */
    max?: number
    target?: { value: number; label: string }
    /** One colour per series (default: grey, then blue, green, ochre). */
    colours?: readonly string[]
  } = {},
): string {
  const colours = options.colours ?? COLOURS
  const colour = (i: number) => colours[i % colours.length] as string
  const unit = options.unit ?? ''
  const digits = options.digits ?? 1
  const max = Math.max(
    options.max ?? 0,
    ...groups.flatMap((g) => g.values),
    options.target?.value ?? 0,
    0.001,
  )
  const x = (value: number) => LABEL_WIDTH + Math.round((Math.max(value, 0) / max) * BAR_SPACE)
  const groupHeight = series.length * (BAR + 3) + 14
  const top = 58
  const legend = series
    .map(
      (name, i) =>
        `<rect x="${10 + i * 120}" y="30" width="14" height="14" fill="${colour(i)}"/><text x="${30 + i * 120}" y="42" font-size="13">${escapeXml(name)}</text>`,
    )
    .join('')
  const bars = groups
    .map((group, g) => {
      const y = top + g * groupHeight
      const label = `<text x="${LABEL_WIDTH - 10}" y="${y + (series.length * (BAR + 3)) / 2 + 4}" font-size="13" text-anchor="end">${escapeXml(group.label)}</text>`
      const rows = group.values
        .map((value, i) => {
          const by = y + i * (BAR + 3)
          const text = `${value.toFixed(digits)}${unit === '%' || unit === '×' ? unit : ` ${unit}`}`
          return `<rect x="${LABEL_WIDTH}" y="${by}" width="${x(value) - LABEL_WIDTH}" height="${BAR}" fill="${colour(i)}"/><text x="${x(value) + 6}" y="${by + 12}" font-size="12">${escapeXml(text.trim())}</text>`
        })
        .join('')
      return label + rows
    })
    .join('')
  const height = top + groups.length * groupHeight + 10
  const target = options.target
    ? `<line x1="${x(options.target.value)}" y1="${top - 6}" x2="${x(options.target.value)}" y2="${height - 10}" stroke="#c0392b" stroke-dasharray="5,4"/><text x="${x(options.target.value) + 4}" y="${top - 8}" font-size="12" fill="#c0392b">${escapeXml(options.target.label)}</text>`
    : ''
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL_WIDTH + BAR_SPACE + 110}" height="${height}" font-family="sans-serif"><text x="10" y="20" font-size="15" font-weight="bold">${escapeXml(title)}</text>${legend}${bars}${target}</svg>\n`
}

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
