/** A small horizontal bar chart as SVG: one bar per label, values with their unit. */
export function barChart(title: string, bars: [string, number][], unit = 's'): string {
  const max = Math.max(...bars.map(([, v]) => v), 0.001)
  const rows = bars
    .map(([label, value], i) => {
      const y = 30 + i * 40
      const width = Math.round((value / max) * 360)
      return `<text x="10" y="${y + 18}" font-size="14">${label}</text><rect x="220" y="${y}" width="${width}" height="26" fill="#0b4f8a"/><text x="${230 + width}" y="${y + 18}" font-size="14">${value.toFixed(2)} ${unit}</text>`
    })
    .join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="700" height="${50 + bars.length * 40}" font-family="sans-serif"><text x="10" y="20" font-size="15" font-weight="bold">${title}</text>${rows}</svg>\n`
}
