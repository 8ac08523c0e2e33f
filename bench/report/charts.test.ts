import { describe, expect, it } from 'vitest'
import { barChart } from './bar-chart.js'
import { groupedBarChart } from './grouped-bar-chart.js'
import { lineChart } from './line-chart.js'

/** Every text the chart shows, as written in the SVG (so still escaped). */
const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
/** The elements vega drew for one kind of mark, e.g. "bar", "point", "line mark". */
const marks = (svg: string, role: string) =>
  [...svg.matchAll(/<(?:path|line)\b[^>]*aria-roledescription="([^"]*)"[^>]*>/g)]
    .filter((m) => m[1] === role)
    .map((m) => m[0])
const attribute = (element: string, name: string) =>
  element.match(new RegExp(`\\b${name}="([^"]*)"`))?.[1]
/** A bar's length: its path is drawn as "M x,y h length v height h -length Z". */
const barLength = (bar: string) => Number(attribute(bar, 'd')?.match(/h(-?[\d.]+)v/)?.[1])

/** Checks the SVG is one well-formed element: tags balance and every & starts an entity. */
function expectWellFormed(svg: string) {
  const open: string[] = []
  for (const [, close, name, selfClosing] of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g)) {
    if (close) expect(open.pop()).toBe(name)
    else if (!selfClosing) open.push(name as string)
  }
  expect(open).toEqual([])
  expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
  expect(svg).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);)/i)
}

describe('barChart', () => {
  it('draws a bar per entry, in order and to scale, with labels, values and unit', async () => {
    const svg = await barChart(
      'Sizes <of> chunks & more',
      [
        ['a<b', 1.5],
        ['budget', 3],
        ['a<b', 0.75],
      ],
      'kB',
    )
    expectWellFormed(svg)
    const shown = texts(svg)
    expect(shown).toContain('Sizes &lt;of&gt; chunks &amp; more')
    expect(shown).toContain('kB')
    expect(shown.filter((t) => t === 'a&lt;b' || t === 'budget')).toEqual([
      'a&lt;b',
      'budget',
      'a&lt;b',
    ])
    expect(shown).toEqual(expect.arrayContaining(['1.50 kB', '3.00 kB', '0.75 kB']))
    expect(svg).not.toContain('a<b')
    const bars = marks(svg, 'bar')
    expect(bars.map((b) => attribute(b, 'aria-label'))).toEqual([
      'a&lt;b: 1.50 kB',
      'budget: 3.00 kB',
      'a&lt;b: 0.75 kB',
    ])
    const [half, full, quarter] = bars.map(barLength)
    expect(half).toBeCloseTo((full as number) / 2, 1)
    expect(quarter).toBeCloseTo((full as number) / 4, 1)
  })
})

describe('groupedBarChart', () => {
  it('draws a bar per group and series, coloured by series, with a legend and a dashed target', async () => {
    const svg = await groupedBarChart(
      'Loss <%>',
      ['old & slow', 'new'],
      [
        { label: 'persons', values: [40, 30] },
        { label: 'x<y', values: [-5, 100] },
      ],
      {
        unit: '%',
        max: 100,
        target: { value: 95, label: 'target 95%' },
        colours: ['#111111', '#222222'],
      },
    )
    expectWellFormed(svg)
    const shown = texts(svg)
    expect(shown).toEqual(
      expect.arrayContaining([
        'Loss &lt;%&gt;',
        'persons',
        'x&lt;y',
        'old &amp; slow',
        'new',
        'target 95%',
      ]),
    )
    expect(shown).toEqual(expect.arrayContaining(['40.0%', '30.0%', '-5.0%', '100.0%']))
    const bars = marks(svg, 'bar')
    expect(bars.map((b) => [attribute(b, 'aria-label'), attribute(b, 'fill')])).toEqual([
      ['persons, old &amp; slow: 40.0%', '#111111'],
      ['persons, new: 30.0%', '#222222'],
      ['x&lt;y, old &amp; slow: -5.0%', '#111111'],
      ['x&lt;y, new: 100.0%', '#222222'],
    ])
    const [forty, , negative, full] = bars.map(barLength)
    expect(negative).toBe(0)
    expect(forty).toBeCloseTo((full as number) * 0.4, 1)
    const [target] = marks(svg, 'rule mark')
    expect(attribute(target as string, 'stroke-dasharray')).toBe('5,4')
  })
})

describe('lineChart', () => {
  const series = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      name: `fusion <${i}>`,
      points: [
        [1e3, 0.01 * (i + 1)],
        [1e5, 2 * (i + 1)],
        [1e6, 0],
        [3e6, Number.NaN],
      ] as [number, number][],
    }))

  it('draws a line and a dot per point, with titled log axes and a legend of the series', async () => {
    const svg = await lineChart('Time & size (log-log)', series(9), 'rows', 'seconds', {
      log: true,
    })
    expectWellFormed(svg)
    const shown = texts(svg)
    expect(shown).toEqual(
      expect.arrayContaining([
        'Time &amp; size (log-log)',
        'rows (log scale)',
        'seconds (log scale)',
      ]),
    )
    expect(shown).toEqual(expect.arrayContaining(['1k', '10k', '100k', '0.01', '1', '100']))
    expect(shown.filter((t) => t?.startsWith('fusion'))).toEqual(
      Array.from({ length: 9 }, (_, i) => `fusion &lt;${i}&gt;`),
    )
    expect(svg).toContain("X-axis titled 'rows (log scale)' for a log scale")
    expect(svg).toContain("Y-axis titled 'seconds (log scale)' for a log scale")
    const lines = marks(svg, 'line mark')
    expect(lines).toHaveLength(9)
    // Zero and NaN cannot be drawn on a log scale: each line keeps its two other points.
    expect(marks(svg, 'point')).toHaveLength(18)
    // Past the palette of eight colours, a line takes the first colour again, dashed.
    expect(lines.map((l) => attribute(l, 'stroke-dasharray'))).toEqual([
      ...Array(8).fill('1,0'),
      '6,4',
    ])
    expect(attribute(lines[8] as string, 'stroke')).toBe(attribute(lines[0] as string, 'stroke'))
  })

  it('starts linear axes at zero and keeps points at zero', async () => {
    const svg = await lineChart('Requests', series(2), 'second', 'requests per second')
    expectWellFormed(svg)
    expect(texts(svg)).toEqual(
      expect.arrayContaining(['Requests', 'second', 'requests per second']),
    )
    expect(svg).toContain("X-axis titled 'second' for a linear scale with values from 0 to")
    expect(marks(svg, 'point')).toHaveLength(6)
  })
})
