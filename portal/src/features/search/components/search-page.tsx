import {
  Anchor,
  Box,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  NativeSelect,
  Pagination,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { type FormEvent, type ReactNode, useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ClassificationBadge } from '../../../components/ui/classification-badge.js'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatCount, formatDateTime } from '../../../lib/format.js'
import {
  type FacetName,
  PAGE_SIZE,
  type SearchData,
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
  useEffect(() => setText(state.q), [state.q])
  const update = (next: Partial<SearchState>) =>
    setParams(writeState({ ...state, page: 1, ...next }))
  const submit = (event: FormEvent) => {
    event.preventDefault()
    update({ q: text.trim() })
  }
  const total = search.data?.total
  const pages = total === undefined ? 0 : Math.ceil(total / PAGE_SIZE)

  return (
    <Stack component="section" aria-labelledby="search-heading" gap="md">
      <div>
        <Title order={1} id="search-heading">
          Find data
        </Title>
        <Text c="dimmed">
          Search every dataset the agencies publish, by the words you would use for it.
        </Text>
      </div>
      <search>
        <form onSubmit={submit}>
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <TextInput
              label="Search datasets"
              type="search"
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              placeholder="e.g. planning area population, postal code, rainfall"
              style={{ flex: 1, minWidth: 0 }}
            />
            <Button type="submit">Search</Button>
          </Group>
        </form>
      </search>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <aside aria-label="Filters">
            {search.data && (
              <Facets
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
          <Stack gap="md">
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

/** One group of checkboxes per facet, each value with how many datasets carry it. */
function Facets({
  facets,
  selected,
  onChange,
}: {
  facets: SearchData['facets']
  selected: SearchState['filters']
  onChange: (facet: FacetName, values: string[]) => void
}) {
  return (
    <SimpleGrid cols={{ base: 2, md: 1 }} spacing="md" verticalSpacing="md">
      {FACET_NAMES.map((facet) => {
        const values = facets[facet]
        if (values.length === 0) return null
        return (
          <Checkbox.Group
            key={facet}
            label={FACET_TITLES[facet]}
            value={selected[facet] ?? []}
            onChange={(next) => onChange(facet, next)}
            styles={{ label: { fontWeight: 700 } }}
          >
            <Stack gap={6} mt={6}>
              {values.map(({ value, count }) => (
                <Checkbox key={value} value={value} label={`${value} (${count})`} />
              ))}
            </Stack>
          </Checkbox.Group>
        )
      })}
    </SimpleGrid>
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
  const facts: [string, string][] = [
    ['Rows', hit.rowCount === null ? 'Not published' : formatCount(hit.rowCount)],
    ['Updated', formatDateTime(hit.updatedAt)],
    ['Sample', hit.sampleAvailable ? 'Available' : 'None'],
  ]
  return (
    <Card component="li" withBorder padding="md">
      <Stack gap={6}>
        <Title order={2} size="h4">
          <Anchor component={Link} to={`/datasets/${hit.slug}`}>
            {hit.title}
          </Anchor>
        </Title>
        <Group gap="xs" wrap="wrap">
          <ClassificationBadge classification={hit.classification} />
          <Text size="sm" c="dimmed">
            {hit.agency} · {hit.trustedCentre}
          </Text>
        </Group>
        <Text lineClamp={3}>{hit.description}</Text>
        <Group component="dl" gap="lg" wrap="wrap" m={0}>
          {facts.map(([label, value]) => (
            <Group key={label} gap={6} wrap="nowrap">
              <Text component="dt" size="sm" c="dimmed">
                {label}
              </Text>
              <Text component="dd" size="sm" m={0}>
                {value}
              </Text>
            </Group>
          ))}
        </Group>
        {why.length > 0 && (
          <Text size="sm" c="dimmed" fs="italic">
            Matched on {why.join(', ')}
          </Text>
        )}
      </Stack>
    </Card>
  )
}
