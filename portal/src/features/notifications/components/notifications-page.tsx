import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useMarkAllRead, useNotifications } from '../api/use-notifications.js'

/** The inbox: requests to decide, questions, decisions and access about to end. */
export function NotificationsPage() {
  const inbox = useNotifications()
  const markAll = useMarkAllRead()
  return (
    <section aria-labelledby="inbox-heading">
      <h1 id="inbox-heading">Inbox</h1>
      {inbox.isPending ? (
        <Loading label="Loading your inbox…" />
      ) : inbox.isError ? (
        <ErrorState title="The inbox could not be loaded" error={inbox.error} />
      ) : inbox.data.notifications.length === 0 ? (
        <EmptyState title="Nothing here yet">
          You will be told here when a request needs you or a decision is made.
        </EmptyState>
      ) : (
        <>
          {inbox.data.unread > 0 && (
            <button type="button" className="secondary" onClick={() => markAll.mutate()}>
              Mark all {inbox.data.unread} read
            </button>
          )}
          <ul className="inbox">
            {inbox.data.notifications.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                <Link to={n.link}>{n.title}</Link>
                {n.body && <p>{n.body}</p>}
                <small>
                  {formatDateTime(n.createdAt)}
                  {n.readAt ? '' : ' · new'}
                </small>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
