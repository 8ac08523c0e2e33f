import { Badge } from '@mantine/core'

/**
 * A sign and a colour per status, so status never rests on colour alone. The colours are dark
 * enough to keep 4.5:1 on their own light tint (WCAG 2.1 AA).
 */
const LOOK: Record<string, { sign: string; color: string }> = {
  met: { sign: '✓', color: '#1d6b2f' },
  'on track': { sign: '→', color: '#0b4f8a' },
  'at risk': { sign: '!', color: '#7d4e00' },
  missed: { sign: '✗', color: '#9b1c1c' },
}

/** A KPI status as a badge: a sign, the word, and a colour. */
export function KpiStatusBadge({ status }: { status: string }) {
  const look = LOOK[status] ?? { sign: '?', color: '#3d4650' }
  return (
    <Badge
      variant="light"
      color={look.color}
      tt="none"
      leftSection={<span aria-hidden="true">{look.sign}</span>}
    >
      {status}
    </Badge>
  )
}
