import { type ReactNode, useState } from 'react'
import { Link, useParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { PersonalDataBadge } from '../../../components/ui/personal-data-badge.js'
import { formatBytes, formatCount, formatDateTime } from '../../../lib/format.js'
import { useMe } from '../../../lib/use-me.js'
import { type DatasetDetail, useDataset } from '../api/use-datasets.js'
import { ClassificationBadge } from './classification-badge.js'
import { DatasetEditor } from './dataset-editor.js'
import { QualityNote } from './quality-note.js'

/** What other features add to a dataset page; app/ composes them (features never import each other). */
export interface DatasetPageSlots {
  /** The form asking for access to the dataset. */
  requestForm: (dataset: DatasetDetail, onDone: () => void) => ReactNode
  /** For the owning agency's stewards: who holds access. */
  holders: (slug: string) => ReactNode
  /** Downloads and the sample preview, as far as the reader may have them. */
  data: (slug: string) => ReactNode
  /** Where the dataset comes from and goes (the lineage feature). */
  lineage: (slug: string) => ReactNode
}

/** One dataset: what it is, who owns it, its schema and its versions. */
export function DatasetPage({ requestForm, holders, data, lineage }: DatasetPageSlots) {
  const { slug = '' } = useParams()
  const dataset = useDataset(slug)
  const [editing, setEditing] = useState(false)
  const [requesting, setRequesting] = useState(false)
  const me = useMe()
  if (dataset.isPending) return <Loading label="Loading dataset…" />
  if (dataset.isError) {
    return (
      <ErrorState
        title="This dataset could not be shown"
        error={dataset.error}
        action={<Link to="/">Back to all datasets</Link>}
      />
    )
  }
  const d = dataset.data
  return (
    <article aria-labelledby="dataset-heading">
      <p className="crumbs">
        <Link to="/">Datasets</Link> / {d.slug}
      </p>
      <h1 id="dataset-heading">{d.title}</h1>
      {canEdit(me.data?.user, d.agency) && !editing && (
        <button type="button" className="secondary" onClick={() => setEditing(true)}>
          Edit metadata
        </button>
      )}
      {editing && <DatasetEditor dataset={d} onDone={() => setEditing(false)} />}
      {d.classification.security === 'official-open' ? (
        <p className="note">Official (Open): anyone may use the full data, no request needed.</p>
      ) : (
        !requesting && (
          <button type="button" onClick={() => setRequesting(true)}>
            Request access
          </button>
        )
      )}
      {requesting && requestForm(d, () => setRequesting(false))}
      <p className="meta">
        <ClassificationBadge classification={d.classification} />
      </p>
      <p className="lede">{d.description}</p>
      <dl className="facts">
        <div>
          <dt>Owning agency</dt>
          <dd>{d.agency}</dd>
        </div>
        <div>
          <dt>Trusted Centre</dt>
          <dd>{d.trustedCentre}</dd>
        </div>
        <div>
          <dt>Sources of truth</dt>
          <dd>{d.sourceSsots.map((s) => s.toUpperCase()).join(', ')}</dd>
        </div>
        <div>
          <dt>Update frequency</dt>
          <dd>{d.updateFrequency}</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>{d.currentVersion ? formatCount(d.currentVersion.rowCount) : 'Not published'}</dd>
        </div>
        <div>
          <dt>Sample</dt>
          <dd>{sampleText(d.currentVersion?.sample ?? null)}</dd>
        </div>
        <div>
          <dt>Coverage</dt>
          <dd>{coverageText(d.coverage)}</dd>
        </div>
        <div>
          <dt>Licence</dt>
          <dd>{d.licence || 'Not stated'}</dd>
        </div>
        <div>
          <dt>Contact</dt>
          <dd>
            {d.contactEmail ? (
              <a href={`mailto:${d.contactEmail}`}>{d.contactEmail}</a>
            ) : (
              'Not stated'
            )}
          </dd>
        </div>
      </dl>

      {data(d.slug)}
      {lineage(d.slug)}

      <h2>Schema</h2>
      <table>
        <caption>{d.columns.length} columns of the current version</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">Personal data</th>
            <th scope="col">Description</th>
            <th scope="col">Glossary</th>
          </tr>
        </thead>
        <tbody>
          {d.columns.map((column) => (
            <tr key={column.name}>
              <th scope="row">
                <code>{column.name}</code>
              </th>
              <td>{column.type}</td>
              <td>
                <PersonalDataBadge kind={column.personalData} />
              </td>
              <td>{column.description}</td>
              <td>
                {(d.glossary[column.name] ?? []).map((t) => (
                  <abbr key={t.term} title={t.definition} className="term">
                    {t.term}
                  </abbr>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      {canEdit(me.data?.user, d.agency) && holders(d.slug)}

      <h2>Versions</h2>
      <table>
        <caption>Every published version; each is immutable</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Published</th>
            <th scope="col">Rows</th>
            <th scope="col">Size</th>
            <th scope="col">Quality</th>
          </tr>
        </thead>
        <tbody>
          {d.versions.map((v) => (
            <tr key={v.version}>
              <th scope="row">v{v.version}</th>
              <td>{formatDateTime(v.createdAt)}</td>
              <td>{formatCount(v.rowCount)}</td>
              <td>{formatBytes(v.byteSize)}</td>
              <td>
                <QualityNote quality={v.quality} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  )
}

/** What an officer can expect of the current version's sample. */
function sampleText(sample: DatasetDetail['versions'][number]['sample']): string {
  if (!sample) return 'None yet'
  if (sample.status === 'refused') return `No sample: ${sample.reason}`
  return `${formatCount(sample.rowCount)} de-identified rows (each combination of quasi-identifiers at least ${sample.k} times)`
}

/** Whether to offer the edit mode: stewards of the owning agency (the server decides for real). */
function canEdit(
  user: { roles: string[]; agency: { code: string } } | undefined,
  agency: string,
): boolean {
  return Boolean(user?.roles.includes('steward') && user.agency.code === agency)
}

function coverageText(coverage: { start: string | null; end: string | null }): string {
  if (!coverage.start && !coverage.end) return 'Not stated'
  return `${coverage.start ?? '…'} to ${coverage.end ?? 'now'}`
}
