import { LineChart } from '@mantine/charts'
import { Text } from '@mantine/core'
import { formatKpiValue, targetLine } from './kpi-format.js'

type Target = { kind: string; low?: number; high?: number; value?: number }

/** Where the target lies on the value axis: a band, everything above a floor, or below a ceiling. */
function targetBand(target: Target, bottom: number, top: number) {
  if (target.kind === 'band') return { from: target.low as number, to: target.high as number }
  if (target.kind === 'at-least') return { from: targetLine(target), to: top }
  return { from: bottom, to: targetLine(target) }
}

/** A round step for about five ticks over `span`: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(span: number) {
  const raw = span / 5 || 1
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10
  return step * magnitude
}

/**
 * A KPI's values by period against its target: the target band shaded with its threshold as a
 * dashed line, the values as a line with a point per period. The chart is one image to screen
 * readers, named by `label`; the values table beside it carries the numbers.
 */
export function TrendChart({
  points,
  target,
  unit,
  label,
}: {
  points: readonly { period: string; value: number; status: string | null }[]
  target: Target
  unit: string
  label: string
}) {
  if (points.length === 0)
    return <Text c="dimmed">No values yet: the chart appears once a first value is computed.</Text>
  const threshold = targetLine(target)
  const values = [...points.map((p) => p.value), threshold, target.high ?? threshold]
  const low = Math.min(0, ...values)
  const step = niceStep(Math.max(...values) - low)
  const bottom = Math.floor(low / step) * step
  const top = Math.ceil(Math.max(...values) / step) * step || step
  const ticks = Array.from({ length: Math.round((top - bottom) / step) + 1 }, (_, i) =>
    Number((bottom + i * step).toFixed(6)),
  )
  const band = targetBand(target, bottom, top)
  // The axis says "2.5", the tooltip "2.5 working days": ticks stay short, and exact.
  const tick = (v: number) => `${v.toLocaleString('en-SG')}${unit === 'percent' ? '%' : ''}`
  return (
    <LineChart
      role="img"
      aria-label={label}
      h={280}
      w="100%"
      maw={720}
      my="sm"
      data={points.map((p) => ({ period: p.period, value: p.value }))}
      dataKey="period"
      series={[{ name: 'value', label: 'Value', color: 'govBlue.7' }]}
      curveType="linear"
      strokeWidth={2.5}
      valueFormatter={(v) => formatKpiValue(v, unit)}
      yAxisProps={{ domain: [bottom, top], ticks, tickFormatter: tick, width: 64 }}
      // A quarterly series labels every fourth quarter, so the axis stays readable.
      xAxisProps={{ interval: points.length > 12 ? 3 : 'preserveStartEnd' }}
      referenceAreas={[
        { y1: Math.max(band.from, bottom), y2: Math.min(band.to, top), color: 'green.6' },
      ]}
      referenceLines={[
        {
          y: threshold,
          color: 'green.9',
          strokeDasharray: '6 4',
          // The same dark green as the 'met' badge: 4.5:1 even over the shaded band.
          label: { value: 'Target', fill: '#1d6b2f', fontWeight: 600 },
          labelPosition: target.kind === 'at-most' ? 'insideTopLeft' : 'insideBottomLeft',
        },
      ]}
      // recharts' keyboard layer would make a focusable control inside an image.
      accessibilityLayer={false}
    />
  )
}
