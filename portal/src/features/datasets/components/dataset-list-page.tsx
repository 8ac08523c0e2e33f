import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount, formatDateTime } from '../../../lib/format.js'
import { useDatasets } from '../api/use-datasets.js'
import { ClassificationBadge } from './classification-badge.js'

/** Every dataset the catalogue holds, as cards an officer can scan. */
export function DatasetListPage() {
  const datasets = useDatasets()
  return (
    <section aria-labelledby="datasets-heading">
      <h1 id="datasets-heading">Datasets</h1>
      <p className="lede">
        Verified datasets published by the Trusted Centres, fused from each agency's Single Source
        of Truth.
      </p>
      {datasets.isPending ? (
        <Loading label="Loading datasets…" />
      ) : datasets.isError ? (
        <ErrorState title="The catalogue could not be loaded" error={datasets.error} />
      ) : datasets.data.length === 0 ? (
        <EmptyState title="No datasets yet">
          The Trusted Centres have not published anything. Datasets appear here after their first
          fusion run.
        </EmptyState>
      ) : (
        <ul className="cards">
          {datasets.data.map((dataset) => (
            <li key={dataset.id} className="card">
              <h2>
                <Link to={`/datasets/${dataset.slug}`}>{dataset.title}</Link>
              </h2>
              <p className="meta">
                {dataset.agency} · {dataset.trustedCentre} ·{' '}
                <ClassificationBadge classification={dataset.classification} />
              </p>
              <p>{dataset.description}</p>
              <dl className="facts">
                <div>
                  <dt>Rows</dt>
                  <dd>
                    {dataset.currentVersion
                      ? formatCount(dataset.currentVersion.rowCount)
                      : 'Not published'}
                  </dd>
                </div>
                <div>
                  <dt>Columns</dt>
                  <dd>{dataset.columns.length}</dd>
                </div>
                <div>
                  <dt>Updated</dt>
                  <dd>
                    {dataset.currentVersion
                      ? formatDateTime(dataset.currentVersion.createdAt)
                      : '—'}
                  </dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
