import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { useGrants } from '../api/use-requests.js'
import { RevokeGrant } from './revoke-grant.js'

/** For the owning agency's stewards: who holds access to the dataset, why, and until when. */
export function DatasetAccess({ slug }: { slug: string }) {
  const grants = useGrants(slug, true)
  return (
    <section aria-labelledby="access-heading">
      <h2 id="access-heading">Who holds access</h2>
      {grants.isPending ? (
        <Loading label="Loading grants…" />
      ) : grants.isError ? (
        <ErrorState title="The grants could not be loaded" error={grants.error} />
      ) : grants.data.length === 0 ? (
        <EmptyState title="Nobody holds access">
          No request for this dataset has been approved yet.
        </EmptyState>
      ) : (
        <table>
          <caption>Grants on this dataset, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Grantee</th>
              <th scope="col">Why</th>
              <th scope="col">Columns</th>
              <th scope="col">Until</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {grants.data.map((g) => (
              <tr key={g.id}>
                <th scope="row">
                  {g.grantee.username} ({g.grantee.agency})
                </th>
                <td>
                  <Link to={`/requests/${g.requestId}`}>{g.purpose}</Link>
                </td>
                <td>{g.columns ? g.columns.join(', ') : 'All'}</td>
                <td>{formatDateTime(g.expiresAt)}</td>
                <td>
                  {g.status}
                  {g.status === 'active' && <RevokeGrant grantId={g.id} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
