import {
  Anchor,
  Box,
  Grid,
  Group,
  NativeSelect,
  Pagination,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { type ReactNode, useEffect, useState } from 'react'
import { Link, useNavigate, useSearchParams } from 'react-router'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount } from '../../../lib/format.js'
import { PAGE_SIZE, type SearchState, useSearch } from '../api/use-search.js'
import type { SearchSuggestion } from '../api/use-suggestions.js'
import { ActiveFilters } from './active-filters.js'
import { FacetList } from './facet-list.js'
import { FACET_NAMES } from './facet-titles.js'
import { ResultCard } from './result-card.js'
import { SearchBox } from './search-box.js'

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
 * `alsoFound` shows what other parts of the portal know by the same words (lineage-only
 * datasets); `followed` is shown while nothing has been typed (the datasets one follows).
 */
export function SearchPage({
  alsoFound,
  followed,
}: {
  alsoFound?: (q: string) => ReactNode
  followed?: ReactNode
} = {}) {
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const state = readState(params)
  const search = useSearch(state)
  const [text, setText] = useState(state.q)
  useEffect(() => setText(state.q), [state.q])
  const update = (next: Partial<SearchState>) =>
    setParams(writeState({ ...state, page: 1, ...next }))
  const choose = (suggestion: SearchSuggestion) => {
    if (suggestion.kind === 'dataset' && suggestion.dataset)
      void navigate(`/datasets/${suggestion.dataset.slug}`)
    else if (suggestion.kind === 'agency' && suggestion.agency) {
      // The words typed were the agency's name: its datasets are what was meant.
      setText('')
      update({ q: '', filters: { ...state.filters, agency: [suggestion.agency] } })
    } else {
      setText(suggestion.label)
      update({ q: suggestion.label })
    }
  }
  const total = search.data?.total
  const pages = total === undefined ? 0 : Math.ceil(total / PAGE_SIZE)
  const didYouMean = search.data?.didYouMean

  return (
    <Stack component="section" aria-labelledby="search-heading" gap="md">
      <a className="skip" href="#search-results">
        Skip to results
      </a>
      <div>
        <Title order={1} id="search-heading">
          Find data
        </Title>
        <Text c="dimmed">
          Search every dataset the agencies publish, by the words you would use for it.
        </Text>
      </div>
      <SearchBox
        text={text}
        onText={setText}
        onSearch={() => update({ q: text.trim() })}
        onChoose={choose}
      />
      {!state.q && followed}
      <ActiveFilters
        filters={state.filters}
        facets={search.data?.facets}
        onChange={(filters) => update({ filters })}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <aside aria-label="Filters">
            {search.data && (
              <FacetList
                facets={search.data.facets}
                selected={state.filters}
                onChange={(facet, values) =>
                  update({ filters: { ...state.filters, [facet]: values } })
                }
              />
            )}
          </aside>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="md" id="search-results" tabIndex={-1} aria-label="Results">
            <Group justify="space-between" align="flex-end" gap="sm" wrap="wrap">
              <Text aria-live="polite" fw={600}>
                {total === undefined
                  ? ''
                  : `${formatCount(total)} dataset${total === 1 ? '' : 's'}${state.q ? ` for "${state.q}"` : ''}`}
              </Text>
              <NativeSelect
                label="Sort by"
                value={state.sort}
                onChange={(e) => update({ sort: e.currentTarget.value as SearchState['sort'] })}
                data={SORTS}
              />
            </Group>
            {didYouMean && (
              <Text>
                Did you mean{' '}
                <Anchor
                  component={Link}
                  to={`?${writeState({ ...state, q: didYouMean, page: 1 })}`}
                  fw={600}
                >
                  {didYouMean}
                </Anchor>
                ?
              </Text>
            )}
            {search.data && search.data.terms.length > 0 && (
              <Text size="sm" c="dimmed">
                Also searched for what the glossary calls the same: {search.data.terms.join(', ')}
              </Text>
            )}
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
                <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
                  {search.data.hits.map((hit) => (
                    <ResultCard key={hit.id} hit={hit} />
                  ))}
                </Stack>
                {pages > 1 && (
                  <Box component="nav" aria-label="Result pages">
                    <Pagination
                      total={pages}
                      value={state.page}
                      onChange={(page) => setParams(writeState({ ...state, page }))}
                      getItemProps={(page) => ({ 'aria-label': `Page ${page}` })}
                      getControlProps={(control) => ({ 'aria-label': CONTROL_NAMES[control] })}
                    />
                  </Box>
                )}
              </>
            )}
            {state.q && alsoFound?.(state.q)}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  )
}

const SORTS = [
  { value: 'relevance', label: 'Relevance' },
  { value: 'updated', label: 'Recently updated' },
  { value: 'popular', label: 'Popularity' },
]

const CONTROL_NAMES = {
  first: 'First page',
  previous: 'Previous page',
  next: 'Next page',
  last: 'Last page',
} as const
