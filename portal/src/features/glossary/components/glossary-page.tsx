import { useId, useState } from 'react'
import { Link } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useMe } from '../../../lib/use-me.js'
import { useGlossary } from '../api/use-glossary.js'
import { TermForm } from './term-form.js'

/** `editing` holds the term being edited, or this for a new one. */
const NEW = '\u0000new'

/** The business glossary: what each term means and which datasets' columns carry it. */
export function GlossaryPage() {
  const glossary = useGlossary()
  const me = useMe()
  // Shown to those the API lets keep the glossary; the API checks again on every change.
  const curator = ['steward', 'admin'].some((r) => me.data?.user.roles.includes(r as never))
  const [editing, setEditing] = useState<string | undefined>()
  const [filter, setFilter] = useState('')
  const filterId = useId()
  const needle = filter.trim().toLowerCase()
  const terms = (glossary.data ?? []).filter(
    (t) =>
      !needle ||
      t.term.toLowerCase().includes(needle) ||
      t.definition.toLowerCase().includes(needle),
  )
  return (
    <section aria-labelledby="glossary-heading">
      <h1 id="glossary-heading">Business glossary</h1>
      <p className="lede">
        Shared meanings for the fields agencies exchange. Stewards link terms to their datasets'
        columns, so the same idea is found under the same word everywhere.
      </p>
      {curator && editing === NEW && <TermForm onDone={() => setEditing(undefined)} />}
      <div className="glossary-filter">
        <label htmlFor={filterId}>Filter terms</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="e.g. postal"
        />
        {curator && editing !== NEW && (
          <button type="button" onClick={() => setEditing(NEW)}>
            New term
          </button>
        )}
      </div>
      {glossary.isPending ? (
        <Loading label="Loading the glossary…" />
      ) : glossary.isError ? (
        <ErrorState title="The glossary could not be loaded" error={glossary.error} />
      ) : terms.length === 0 ? (
        <EmptyState title={needle ? `No term matches “${filter.trim()}”` : 'No terms yet'}>
          {needle ? 'Try a shorter word.' : 'Stewards add terms as they describe their datasets.'}
        </EmptyState>
      ) : (
        <dl className="glossary">
          {terms.map((t) =>
            editing === t.term ? (
              <div key={t.term}>
                <dt className="visually-hidden">{t.term}</dt>
                <dd>
                  <TermForm term={t} onDone={() => setEditing(undefined)} />
                </dd>
              </div>
            ) : (
              <div key={t.term} className="panel">
                <dt>
                  <strong>{t.term}</strong>
                </dt>
                <dd>{t.definition}</dd>
                <dd>
                  {t.columns.length === 0 ? (
                    'Not linked to any dataset you can see.'
                  ) : (
                    <ul aria-label={`Columns described by ${t.term}`}>
                      {t.columns.map((col) => (
                        <li key={`${col.dataset}.${col.column}`}>
                          <Link to={`/datasets/${col.dataset}`}>{col.dataset}</Link>{' '}
                          <code>{col.column}</code>
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
                {curator && (
                  <dd>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setEditing(t.term)}
                      aria-label={`Edit ${t.term}`}
                    >
                      Edit
                    </button>
                  </dd>
                )}
              </div>
            ),
          )}
        </dl>
      )}
    </section>
  )
}
