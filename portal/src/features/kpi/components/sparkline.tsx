const WIDTH = 120
const HEIGHT = 32

/**
 * A small trend line with the target as a dashed rule: the shape of the years at a glance.
 * Decorative for screen readers: the card states the values in words.
 */
export function Sparkline({
  points,
  target,
}: {
  points: readonly { year: number; value: number }[]
  target: number
}) {
  if (points.length === 0) return null
  const values = [...points.map((p) => p.value), target]
  const low = Math.min(...values)
  const high = Math.max(...values)
  const y = (v: number) => HEIGHT - 3 - ((v - low) / (high - low || 1)) * (HEIGHT - 6)
  const x = (i: number) =>
    points.length === 1 ? WIDTH / 2 : 3 + (i * (WIDTH - 6)) / (points.length - 1)
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')
  const last = points.length - 1
  return (
    <svg
      className="sparkline"
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      aria-hidden="true"
    >
      <line
        x1={0}
        x2={WIDTH}
        y1={y(target)}
        y2={y(target)}
        stroke="#8a959e"
        strokeDasharray="3 3"
      />
      <polyline points={line} fill="none" stroke="#0b4f8a" strokeWidth={2} />
      <circle cx={x(last)} cy={y(points[last]?.value ?? 0)} r={3} fill="#0b4f8a" />
    </svg>
  )
}
