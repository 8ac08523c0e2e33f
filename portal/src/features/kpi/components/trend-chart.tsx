import { formatKpiValue } from './kpi-format.js'

const WIDTH = 640
const HEIGHT = 260
const PAD = { left: 64, right: 16, top: 16, bottom: 32 }

type Target = { kind: string; low?: number; high?: number; value?: number }

/**
 * A KPI's values by year against its target band: the band shaded (a range, everything above
 * a floor, or everything below a ceiling), the values as a line with a point per year.
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
  if (points.length === 0) return <p className="note">No values yet.</p>
  const threshold = target.kind === 'band' ? (target.low as number) : (target.value as number)
  const values = [...points.map((p) => p.value), threshold, target.high ?? threshold]
  const top = Math.max(...values) * 1.1 || 1
  const bottom = Math.min(0, ...values)
  const plotW = WIDTH - PAD.left - PAD.right
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const y = (v: number) => PAD.top + plotH - ((v - bottom) / (top - bottom)) * plotH
  const x = (i: number) =>
    PAD.left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1))
  const band =
    target.kind === 'band'
      ? { from: target.low as number, to: target.high as number }
      : target.kind === 'at-least'
        ? { from: threshold, to: top }
        : { from: bottom, to: threshold }
  const ticks = [bottom, (bottom + top) / 2, top].map((v) => Math.round(v * 10) / 10)
  return (
    <svg
      className="trend-chart"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
    >
      <rect
        x={PAD.left}
        width={plotW}
        y={y(Math.min(band.to, top))}
        height={Math.max(0, y(Math.max(band.from, bottom)) - y(Math.min(band.to, top)))}
        fill="#e6f4ea"
      >
        <title>Target band</title>
      </rect>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} stroke="#e1e4e8" />
          <text x={PAD.left - 6} y={y(t) + 4} fontSize={11} textAnchor="end" fill="#4a555e">
            {formatKpiValue(t, unit === 'working-days' ? 'count' : unit)}
          </text>
        </g>
      ))}
      <line
        x1={PAD.left}
        x2={WIDTH - PAD.right}
        y1={y(threshold)}
        y2={y(threshold)}
        stroke="#1a7f37"
        strokeDasharray="6 4"
      />
      <polyline
        points={points.map((p, i) => `${x(i)},${y(p.value)}`).join(' ')}
        fill="none"
        stroke="#0b4f8a"
        strokeWidth={2.5}
      />
      {points.map((p, i) => (
        <g key={p.period}>
          <circle cx={x(i)} cy={y(p.value)} r={4.5} fill="#0b4f8a">
            <title>{`${p.period}: ${formatKpiValue(p.value, unit)}${p.status ? ` (${p.status})` : ''}`}</title>
          </circle>
          {/* Quarterly series label every fourth point, so the axis stays readable. */}
          {(points.length <= 12 || i % 4 === 0 || (i === points.length - 1 && i % 4 >= 2)) && (
            <text x={x(i)} y={HEIGHT - 10} fontSize={11} textAnchor="middle" fill="#4a555e">
              {p.period}
            </text>
          )}
        </g>
      ))}
    </svg>
  )
}
