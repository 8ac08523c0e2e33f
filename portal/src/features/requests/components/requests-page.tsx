import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useMe } from '../../../lib/use-me.js'
import { type RequestSummary, useRequests } from '../api/use-requests.js'
import { ServiceLevelBadge, StatusBadge } from './service-level-badge.js'

/** "My requests & grants" and, for stewards, the queue of their agency's open requests. */
export function RequestsPage() {
  const me = useMe()
  const steward = me.data?.user.roles.includes('steward') ?? false
  const mine = useRequests({ mine: true })
  const queue = useRequests({ status: ['submitted', 'needs-info'] })
  const toDecide = (queue.data ?? []).filter((r) => r.requester.id !== me.data?.user.id)
  return (
    <section aria-labelledby="requests-heading">
      <h1 id="requests-heading">Data requests</h1>
      {steward && (
        <>
          <h2>Steward queue</h2>
          <p className="lede">
            Requests for your agency's datasets waiting for a decision, oldest clock first. The
            target is a decision within 7 working days.
          </p>
          <RequestTable
            caption="Waiting for your agency"
            query={{ ...queue, data: [...toDecide].sort(byUrgency) }}
            empty="Nothing waits for a decision."
            showRequester
          />
        </>
      )}
      <h2>My requests &amp; grants</h2>
      <RequestTable
        caption="Requests you made, newest first"
        query={mine}
        empty="You have not requested any dataset yet. Find one and use “Request access” on its page."
      />
    </section>
  )
}

/** Overdue first, then the fewest working days left. */
function byUrgency(a: RequestSummary, b: RequestSummary): number {
  const left = (r: RequestSummary) =>
    r.serviceLevel.status === 'paused' ? 100 : r.serviceLevel.limit - r.serviceLevel.workingDays
  return left(a) - left(b)
}

function RequestTable({
  caption,
  query,
  empty,
  showRequester = false,
}: {
  caption: string
  query: { isPending: boolean; isError: boolean; error: unknown; data?: RequestSummary[] }
  empty: string
  showRequester?: boolean
}) {
  if (query.isPending) return <Loading label="Loading requests…" />
  if (query.isError)
    return <ErrorState title="The requests could not be loaded" error={query.error} />
  const requests = query.data ?? []
  if (requests.length === 0) return <EmptyState title="No requests">{empty}</EmptyState>
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Dataset</th>
          {showRequester && <th scope="col">Requester</th>}
          <th scope="col">Submitted</th>
          <th scope="col">Status</th>
          <th scope="col">Clock</th>
          <th scope="col">Access until</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id}>
            <th scope="row">
              <Link to={`/requests/${r.id}`}>{r.dataset.title}</Link>
            </th>
            {showRequester && (
              <td>
                {r.requester.username} ({r.requester.agency})
              </td>
            )}
            <td>{formatDateTime(r.submittedAt)}</td>
            <td>
              <StatusBadge status={r.status} />
            </td>
            <td>
              <ServiceLevelBadge level={r.serviceLevel} />
            </td>
            <td>{r.grant ? formatDateTime(r.grant.expiresAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
