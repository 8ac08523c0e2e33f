import { Sparkline as MantineSparkline } from '@mantine/charts'
import { Box } from '@mantine/core'

/**
 * A small trend line: the shape of the periods at a glance. Hidden from screen readers, and inert
 * because recharts makes its chart focusable: the card states the values in words.
 */
export function Sparkline({ points }: { points: readonly { value: number }[] }) {
  if (points.length === 0) return null
  // The chart's axis starts at zero; rescaled to its own range, the line shows its shape.
  const values = points.map((p) => p.value)
  const low = Math.min(...values)
  const span = Math.max(...values) - low || 1
  return (
    <Box className="sparkline" aria-hidden="true" inert>
      <MantineSparkline
        h={40}
        w="100%"
        data={values.map((v) => 0.15 + (0.85 * (v - low)) / span)}
        color="govBlue.7"
        curveType="monotone"
        fillOpacity={0.25}
      />
    </Box>
  )
}
