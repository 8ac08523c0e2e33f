import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useFeeds } from '../api/use-feeds.js'

/** What each Single Source of Truth promises to deliver: the feed contracts the Trusted Centres enforce. */
export function FeedsPage() {
  const feeds = useFeeds()
  return (
    <section aria-labelledby="feeds-heading">
      <h1 id="feeds-heading">Feed contracts</h1>
      <p className="lede">
        Every delivery is checked against its contract: rows that break a rule are kept in
        quarantine with the reason, and a delivery whose columns differ is refused whole.
      </p>
      {feeds.isPending ? (
        <Loading label="Loading feed contracts…" />
      ) : feeds.isError ? (
        <ErrorState title="The feed contracts could not be loaded" error={feeds.error} />
      ) : (
        feeds.data.map((feed) => (
          <details key={feed.id} className="panel feed">
            <summary>
              <strong>{feed.title}</strong> <code>{feed.id}</code> v{feed.version} · from{' '}
              {feed.ssot.toUpperCase()} to {feed.trustedCentre} ·{' '}
              {feed.delivery === 'snapshot' ? 'full snapshots' : 'deltas'} · key{' '}
              {feed.key.join(', ')}
            </summary>
            <table>
              <caption>{feed.columns.length} columns, in delivery order</caption>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Type</th>
                  <th scope="col">Required</th>
                  <th scope="col">Rule</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {feed.columns.map((column) => (
                  <tr key={column.name}>
                    <th scope="row">
                      <code>{column.name}</code>
                    </th>
                    <td>{column.type}</td>
                    <td>{column.required ? 'Yes' : 'No'}</td>
                    <td>
                      {[column.rule, column.normalize && `normalised: ${column.normalize}`]
                        .filter(Boolean)
                        .join('; ')}
                    </td>
                    <td>{column.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {feed.rowRules.length > 0 && (
              <ul>
                {feed.rowRules.map((rule) => (
                  <li key={rule.name}>
                    Row rule {rule.name}: refused when {rule.reason}
                  </li>
                ))}
              </ul>
            )}
          </details>
        ))
      )}
    </section>
  )
}
