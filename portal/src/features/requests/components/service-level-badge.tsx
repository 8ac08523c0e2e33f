import type { RequestSummary } from '../api/use-requests.js'

const dayFormat = new Intl.DateTimeFormat('en-SG', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
})
const formatDay = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`))

/** The working-day clock of a request, in words, coloured by how close it is to 7 days. */
export function ServiceLevelBadge({ level }: { level: RequestSummary['serviceLevel'] }) {
  const text = {
    'on-track': `Working day ${level.workingDays} of ${level.limit}${level.due ? ` · due ${formatDay(level.due)}` : ''}`,
    'due-soon': `Due soon: working day ${level.workingDays} of ${level.limit}${level.due ? ` · due ${formatDay(level.due)}` : ''}`,
    overdue: `Overdue: working day ${level.workingDays} of ${level.limit}`,
    paused: `Clock paused at day ${level.workingDays}: waiting for the requester`,
    met: `Decided in ${level.decisionWorkingDays} working days`,
    missed: `Decided in ${level.decisionWorkingDays} working days (over ${level.limit})`,
    closed: 'Withdrawn',
  }[level.status]
  return (
    <span
      className={`badge badge-sla-${level.status}`}
      title={level.confirmed ? undefined : 'Counted with public holidays not yet confirmed'}
    >
      {text}
      {level.confirmed ? '' : ' *'}
    </span>
  )
}

const STATUS_LABELS: Record<RequestSummary['status'], string> = {
  submitted: 'Submitted',
  'needs-info': 'Needs information',
  active: 'Access granted',
  expired: 'Access expired',
  revoked: 'Access revoked',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
}

export function StatusBadge({ status }: { status: RequestSummary['status'] }) {
  return <span className={`badge badge-status-${status}`}>{STATUS_LABELS[status]}</span>
}
