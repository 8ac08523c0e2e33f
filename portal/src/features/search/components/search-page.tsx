import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount, formatDateTime } from '../../../lib/format.js'
import {
  type FacetName,
  PAGE_SIZE,
  type SearchHitInfo,
  type SearchState,
  useSearch,
} from '../api/use-search.js'

const FACET_TITLES: Record<FacetName, string> = {
  agency: 'Agency',
  ministryFamily: 'Ministry family',
  trustedCentre: 'Trusted Centre',
  security: 'Security classification',
  sensitivity: 'Sensitivity',
  theme: 'Theme',
  frequency: 'Update frequency',
  sample: 'Sample',
}
const FACET_NAMES = Object.keys(FACET_TITLES) as FacetName[]

function readState(params: URLSearchParams): SearchState {
  const sort = params.get('sort')
  return {
    q: params.get('q') ?? '',
    sort: sort === 'updated' || sort === 'popular' ? sort : 'relevance',
    page: Math.max(1, Number(params.get('page')) || 1),
    filters: Object.fromEntries(
      FACET_NAMES.map((f) => [f, params.getAll(f)] as const).filter(
        ([, values]) => values.length > 0,
      ),
    ),
  }
}

function writeState(state: SearchState): URLSearchParams {
  const params = new URLSearchParams()
  if (state.q) params.set('q', state.q)
  if (state.sort !== 'relevance') params.set('sort', state.sort)
  if (state.page > 1) params.set('page', String(state.page))
  for (const [facet, values] of Object.entries(state.filters))
    for (const v of values ?? []) params.append(facet, v)
  return params
}

/**
 * Find datasets by the words people use, narrowed by facets; the URL holds the whole search.
 * `alsoFound` shows what other parts of the portal know by the same words (lineage-only datasets).
 */
export function SearchPage({ alsoFound }: { alsoFound?: (q: string) => ReactNode } = {}) {
  const [params, setParams] = useSearchParams()
  const state = readState(params)
  const search = useSearch(state)
  const [text, setText] = useState(state.q)
  const inputId = useId()
  useEffect(() => setText(state.q), [state.q])
  const update = (next: Partial<SearchState>) =>
    setParams(writeState({ ...state, page: 1, ...next }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    update({ q: text.trim() })
  }
  const toggle = (facet: FacetName, value: string) => {
    const current = state.filters[facet] ?? []
    const next = current.includes(value) ? current.filter((v) => v !== value) : [...current, value]
    update({ filters: { ...state.filters, [facet]: next } })
  }

  return (
    <section aria-labelledby="search-heading">
      <h1 id="search-heading">Find data</h1>
      <search>
        <form className="search-form" onSubmit={submit}>
          <label htmlFor={inputId}>Search datasets</label>
          <input
            id={inputId}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="e.g. planning area population, postal code, rainfall"
          />
          <button type="submit">Search</button>
        </form>
      </search>
      <div className="search-layout">
        <aside aria-label="Filters" className="facets">
          {search.data &&
            FACET_NAMES.map((facet) => {
              const values = search.data.facets[facet]
              if (values.length === 0) return null
              return (
                <fieldset key={facet}>
                  <legend>{FACET_TITLES[facet]}</legend>
                  {values.map(({ value, count }) => (
                    <label key={value} className="facet-option">
                      <input
                        type="checkbox"
                        checked={state.filters[facet]?.includes(value) ?? false}
                        onChange={() => toggle(facet, value)}
                      />
                      {value} <span className="count">({count})</span>
                    </label>
                  ))}
                </fieldset>
              )
            })}
        </aside>
        <div className="results">
          <div className="results-bar">
            <p aria-live="polite">
              {search.data
                ? `${formatCount(search.data.total)} dataset${search.data.total === 1 ? '' : 's'}`
                : ''}
              {state.q ? ` for "${state.q}"` : ''}
            </p>
            <label>
              Sort by{' '}
              <select
                value={state.sort}
                onChange={(e) => update({ sort: e.target.value as SearchState['sort'] })}
              >
                <option value="relevance">Relevance</option>
                <option value="updated">Recently updated</option>
                <option value="popular">Popularity</option>
              </select>
            </label>
          </div>
          {search.isPending ? (
            <Loading label="Searching…" />
          ) : search.isError ? (
            <ErrorState title="The search failed" error={search.error} />
          ) : search.data.hits.length === 0 ? (
            <EmptyState title="No datasets match">
              Try fewer words, another spelling, or clear some filters.
            </EmptyState>
          ) : (
            <>
              <ul className="cards">
                {search.data.hits.map((hit) => (
                  <ResultCard key={hit.id} hit={hit} />
                ))}
              </ul>
              <Pager
                total={search.data.total}
                page={state.page}
                onPage={(page) => setParams(writeState({ ...state, page }))}
              />
            </>
          )}
          {state.q && alsoFound?.(state.q)}
        </div>
      </div>
    </section>
  )
}

function ResultCard({ hit }: { hit: SearchHitInfo }) {
  const why = [
    hit.matched.title && 'title',
    hit.matched.tags && 'tags',
    hit.matched.description && 'description',
    hit.matched.columns.length > 0 && `columns ${hit.matched.columns.join(', ')}`,
    hit.matched.typo && 'a similar word',
  ].filter(Boolean)
  return (
    <li className="card">
      <h2>
        <Link to={`/datasets/${hit.slug}`}>{hit.title}</Link>
      </h2>
      <p className="meta">
        {hit.agency} · {hit.trustedCentre} ·{' '}
        <span className={`badge badge-${hit.classification.security}`}>
          {hit.classification.label}
        </span>
      </p>
      <p>{hit.description}</p>
      <dl className="facts">
        <div>
          <dt>Rows</dt>
          <dd>{hit.rowCount === null ? 'Not published' : formatCount(hit.rowCount)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{formatDateTime(hit.updatedAt)}</dd>
        </div>
        <div>
          <dt>Sample</dt>
          <dd>{hit.sampleAvailable ? 'Available' : 'None'}</dd>
        </div>
      </dl>
      {why.length > 0 && <p className="why">Matched on {why.join(', ')}</p>}
    </li>
  )
}

function Pager({
  total,
  page,
  onPage,
}: {
  total: number
  page: number
  onPage: (page: number) => void
}) {
  const pages = Math.ceil(total / PAGE_SIZE)
  if (pages <= 1) return null
  return (
    <nav aria-label="Result pages" className="pager">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
    </nav>
  )
}
