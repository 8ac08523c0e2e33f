import { Badge, VisuallyHidden } from '@mantine/core'
import { formatDay, formatQuantity } from '../../../lib/format.js'
import { TONE } from '../../../lib/tones.js'
import type { RequestSummary } from '../api/use-requests.js'

/** Badge tones: dark enough that the text keeps 4.5:1 on the badge's own tint (WCAG AA). */
const TONES = TONE
type Tone = keyof typeof TONES

/**
 * Badges wrap rather than clip their words on a narrow screen, and never narrower than their
 * longest word: a clipping label lets a table column squeeze "Submitted" to "Submit…".
 */
const WRAP = {
  root: { overflow: 'visible', maxWidth: 'none' },
  label: { whiteSpace: 'normal', overflow: 'visible', lineHeight: 1.35 },
} as const

const SLA_TONES: Record<RequestSummary['serviceLevel']['status'], Tone> = {
  'on-track': 'info',
  'due-soon': 'warn',
  overdue: 'bad',
  paused: 'neutral',
  met: 'good',
  missed: 'bad',
  closed: 'neutral',
}

/** The working-day clock of a request, in words, coloured by how close it is to 7 days. */
export function ServiceLevelBadge({ level }: { level: RequestSummary['serviceLevel'] }) {
  const due = level.due ? ` · due ${formatDay(level.due)}` : ''
  const text = {
    'on-track': `Working day ${level.workingDays} of ${level.limit}${due}`,
    'due-soon': `Due soon: working day ${level.workingDays} of ${level.limit}${due}`,
    overdue: `Overdue: working day ${level.workingDays} of ${level.limit}`,
    paused: `Clock paused at day ${level.workingDays}: waiting for the requester`,
    met: `Decided in ${formatQuantity(level.decisionWorkingDays ?? 0, 'working day')}`,
    missed: `Decided in ${formatQuantity(level.decisionWorkingDays ?? 0, 'working day')} (over ${level.limit})`,
    closed: `Clock stopped after ${formatQuantity(level.workingDays, 'working day')}`,
  }[level.status]
  return (
    <Badge
      variant="light"
      color={TONES[SLA_TONES[level.status]]}
      tt="none"
      size="lg"
      fw={600}
      h="auto"
      py={4}
      styles={WRAP}
      title={level.confirmed ? undefined : 'Counted with public holidays not yet confirmed'}
    >
      {text}
      {!level.confirmed && (
        <>
          <span aria-hidden> *</span>
          <VisuallyHidden> (public holidays not yet confirmed)</VisuallyHidden>
        </>
      )}
    </Badge>
  )
}

const STATUSES: Record<RequestSummary['status'], { label: string; tone: Tone }> = {
  submitted: { label: 'Submitted', tone: 'info' },
  'needs-info': { label: 'Needs information', tone: 'warn' },
  active: { label: 'Access granted', tone: 'good' },
  expired: { label: 'Access expired', tone: 'neutral' },
  revoked: { label: 'Access revoked', tone: 'bad' },
  rejected: { label: 'Rejected', tone: 'bad' },
  withdrawn: { label: 'Withdrawn', tone: 'neutral' },
}

/** Where a request (or its grant) stands, in words. */
export function StatusBadge({ status }: { status: RequestSummary['status'] }) {
  const { label, tone } = STATUSES[status]
  return (
    <Badge
      variant="light"
      color={TONES[tone]}
      tt="none"
      size="lg"
      fw={600}
      h="auto"
      py={4}
      styles={WRAP}
    >
      {label}
    </Badge>
  )
}
