import { type FormEvent, useId, useState } from 'react'
import { Link } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount } from '../../../lib/format.js'
import { type LineageSearchResult, useLineageSearch } from '../api/use-lineage.js'

const lineageLink = (nodeId: string) => `/lineage?node=${encodeURIComponent(nodeId)}`

function ResultItem({ result }: { result: LineageSearchResult }) {
  return (
    <li>
      <Link to={lineageLink(result.nodeId)}>{result.name}</Link>{' '}
      <span className="note">
        {result.type === 'JOB' ? 'job' : 'dataset'} in {result.namespace}
      </span>
      {result.type === 'DATASET' &&
        (result.catalogue ? (
          <>
            {' · '}
            <Link to={`/datasets/${result.catalogue.slug}`}>our catalogue entry</Link>
          </>
        ) : (
          <span className="badge">lineage only</span>
        ))}
    </li>
  )
}

/** Find a dataset or job that lineage knows (ours or another tool's) to explore from. */
export function LineageSearch() {
  const [text, setText] = useState('')
  const [q, setQ] = useState('')
  const found = useLineageSearch(q, {})
  const inputId = useId()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setQ(text.trim())
  }
  return (
    <section aria-label="Find in lineage">
      <search>
        <form className="search-form" onSubmit={submit}>
          <label htmlFor={inputId}>Find a dataset or job</label>
          <input
            id={inputId}
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder="e.g. person_address, s3://, airflow"
          />
          <button type="submit">Find</button>
        </form>
      </search>
      {q &&
        (found.isPending ? (
          <Loading label="Looking…" />
        ) : found.isError ? (
          <ErrorState title="The lineage search failed" error={found.error} />
        ) : found.data.results.length === 0 ? (
          <p className="note">Nothing in lineage is named like "{q}".</p>
        ) : (
          <>
            <p aria-live="polite">
              {formatCount(found.data.totalCount)} in lineage for "{q}"
            </p>
            <ul className="lineage-results">
              {found.data.results.map((r) => (
                <ResultItem key={r.nodeId} result={r} />
              ))}
            </ul>
          </>
        ))}
    </section>
  )
}

/**
 * Datasets that only lineage knows (other tools' tables and files) matching a catalogue search,
 * each linked to where it sits in the lineage graph; shown beside the catalogue's own results.
 */
export function LineageOnlyMatches({ q }: { q: string }) {
  const found = useLineageSearch(q, { filter: 'DATASET', limit: 10 })
  if (!q || !found.data) return null
  const lineageOnly = found.data.results.filter((r) => r.lineageOnly)
  if (lineageOnly.length === 0) return null
  return (
    <section aria-labelledby="lineage-only-heading" className="lineage-only">
      <h2 id="lineage-only-heading">Also seen in lineage</h2>
      <p className="note">
        Datasets other systems report reading or writing, not published in this catalogue.
      </p>
      <ul className="lineage-results">
        {lineageOnly.map((r) => (
          <ResultItem key={r.nodeId} result={r} />
        ))}
      </ul>
    </section>
  )
}
