/** A sign per status, so status never rests on colour alone. */
const SIGN: Record<string, string> = { met: '✓', 'on track': '→', 'at risk': '!', missed: '✗' }

/** A KPI status as a badge: a sign, the word, and a colour. */
export function KpiStatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-kpi-${status.replace(' ', '-')}`}>
      <span aria-hidden="true">{SIGN[status] ?? '?'} </span>
      {status}
    </span>
  )
}
