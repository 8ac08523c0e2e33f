import { formatCount } from '../../../lib/format.js'
import type { ColumnProfile } from '../api/use-column-profiles.js'

type Bin = NonNullable<ColumnProfile['histogram']>[number]

const WIDTH = 120
const HEIGHT = 32

/** The histogram in words, bar by bar, for those who do not see it. */
export function describeHistogram(bins: readonly Bin[], k: number): string {
  return `Histogram: ${bins
    .map((b) =>
      b.rows === null
        ? `${b.label}: withheld (fewer than ${k} rows)`
        : `${b.label}: ${formatCount(b.rows)} ${b.rows === 1 ? 'row' : 'rows'}`,
    )
    .join('; ')}`
}

/**
 * A small bar chart of a column's values: withheld bars drawn as an outline at the foot, so
 * that a gap is not read as nothing there. Its text alternative lists every bar.
 */
export function ProfileHistogram({ bins, k }: { bins: readonly Bin[]; k: number }) {
  const highest = Math.max(1, ...bins.map((b) => b.rows ?? 0))
  const width = WIDTH / bins.length
  return (
    <svg
      role="img"
      aria-label={describeHistogram(bins, k)}
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
    >
      {bins.map((b, i) =>
        b.rows === null ? (
          <rect
            key={b.label}
            x={i * width + 1}
            y={HEIGHT - 4}
            width={Math.max(1, width - 2)}
            height={3}
            fill="none"
            stroke="#55606e"
            strokeDasharray="2 1"
          />
        ) : (
          <rect
            key={b.label}
            x={i * width + 1}
            y={HEIGHT - Math.max(1, (b.rows / highest) * HEIGHT)}
            width={Math.max(1, width - 2)}
            height={Math.max(1, (b.rows / highest) * HEIGHT)}
            fill="#1f4e8c"
          />
        ),
      )}
    </svg>
  )
}
