import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { unwrap } from '../../../lib/api-client.js'
import { useApi } from '../../../lib/api-context.js'
import { type QueryAnswer, useViews } from '../api/use-query.js'

const FORMATS = [
  ['csv', 'CSV'],
  ['parquet', 'Parquet'],
  ['arrow', 'Arrow'],
  ['json', 'NDJSON'],
] as const

/**
 * What the reader can do with the data itself: download the full version (Official (Open) data,
 * or under a grant), or preview and download the de-identified sample, and open either in the
 * workbench. Asks the query service, which knows the reader's entitlements.
 */
export function DatasetData({ slug }: { slug: string }) {
  const views = useViews()
  if (views.isPending) return <Loading label="Checking what you may download…" />
  if (views.isError)
    return <ErrorState title="Downloads could not be checked" error={views.error} />
  const mine = views.data.filter((v) => v.dataset.slug === slug)
  const full = mine.find((v) => v.scope === 'full')
  const sample = mine.find((v) => v.scope === 'sample')
  return (
    <section aria-labelledby="data-heading">
      <h2 id="data-heading">Data</h2>
      {full && (
        <Downloads
          title={full.basis === 'grant' ? 'Full data (your grant)' : 'Full data (Official (Open))'}
          href={(format) =>
            `/api/datasets/${slug}/versions/${full.version}/extract?format=${format}`
          }
          view={full.name}
        />
      )}
      {sample && (
        <>
          <Downloads
            title="De-identified sample"
            href={(format) =>
              `/api/datasets/${slug}/versions/${sample.version}/sample?format=${format}`
            }
            view={sample.name}
          />
          <SamplePreview view={sample.name} />
        </>
      )}
      {!full && !sample && (
        <p className="note">
          No sample of this dataset is published for you. Use “Request access” to ask for the data.
        </p>
      )}
    </section>
  )
}

function Downloads({
  title,
  href,
  view,
}: {
  title: string
  href: (format: string) => string
  view: string
}) {
  return (
    <p>
      <strong>{title}:</strong>{' '}
      {FORMATS.map(([format, label]) => (
        <a key={format} className="button secondary" href={href(format)} download>
          {label}
        </a>
      ))}{' '}
      <Link to={`/query?sql=${encodeURIComponent(`SELECT * FROM ${view} LIMIT 100`)}`}>
        Open in the workbench
      </Link>
    </p>
  )
}

function SamplePreview({ view }: { view: string }) {
  const api = useApi()
  const preview = useQuery({
    queryKey: ['query', 'preview', view],
    queryFn: async () =>
      unwrap<QueryAnswer>(
        await api.api.query.$post({
          json: { sql: `SELECT * FROM ${view} LIMIT 10`, format: 'json' },
        }),
      ),
  })
  if (preview.isPending) return <Loading label="Loading the sample…" />
  if (preview.isError)
    return <ErrorState title="The sample could not be shown" error={preview.error} />
  return (
    <div className="scroll">
      <table>
        <caption>First {preview.data.rowCount} rows of the sample</caption>
        <thead>
          <tr>
            {preview.data.columns.map((c) => (
              <th key={c.name} scope="col">
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.data.rows.map((row, r) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: sample rows have no identity of their own
            <tr key={r}>
              {row.map((value, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <td key={i}>{value === null ? '' : String(value)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
