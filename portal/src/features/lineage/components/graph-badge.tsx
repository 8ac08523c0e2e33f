import { Badge } from '@mantine/core'
import type { ReactNode } from 'react'
import { BADGE_COLOURS } from './graph-colours.js'

/**
 * A small label in words ("lineage only", "outside the graph", "assumed"), drawn in colours
 * that keep AA contrast (Mantine's light grey badge does not).
 */
export function GraphBadge({
  tone = 'neutral',
  children,
}: {
  tone?: keyof typeof BADGE_COLOURS
  children: ReactNode
}) {
  const colours = BADGE_COLOURS[tone]
  return (
    <Badge
      variant="outline"
      tt="none"
      fw={600}
      size="lg"
      style={{
        color: colours.color,
        backgroundColor: colours.background,
        borderColor: colours.border,
      }}
    >
      {children}
    </Badge>
  )
}
