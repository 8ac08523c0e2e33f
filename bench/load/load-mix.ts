// What a virtual user of the load bench does: the steps of a visit to the portal, how often each
// comes, and the API calls the portal makes for each (read from portal/src/features).

/** One kind of HTTP call, the unit the report measures. */
export type LoadKind =
  | 'search'
  | 'lineage-search'
  | 'dataset'
  | 'views'
  | 'lineage'
  | 'sample-preview'
  | 'query'
  | 'sample-download'
  | 'inbox'
  | 'my-requests'
  | 'request-submit'
  | 'request-withdraw'

/** Every kind, in the order the report lists them. */
export const LOAD_KINDS: readonly LoadKind[] = [
  'search',
  'lineage-search',
  'dataset',
  'views',
  'lineage',
  'sample-preview',
  'query',
  'sample-download',
  'inbox',
  'my-requests',
  'request-submit',
  'request-withdraw',
]

export type LoadStep =
  | 'search'
  | 'dataset-page'
  | 'query'
  | 'sample-download'
  | 'inbox'
  | 'my-requests'
  | 'request'

/**
 * How often each step comes, in shares of a virtual user's steps. Officers come to find data:
 * searching and reading dataset pages are most of a visit; a minority then work with samples in
 * the workbench or download one; asking for access is rarer still (a request follows several
 * page visits); the inbox and the request list are glanced at between those.
 */
export const LOAD_MIX: readonly { step: LoadStep; weight: number }[] = [
  // The front page is the catalogue search; refining a search is several of these in a row.
  { step: 'search', weight: 35 },
  // A dataset page: metadata, the reader's views, lineage, and the sample preview.
  { step: 'dataset-page', weight: 30 },
  // The workbench: one SELECT over a sample, an open dataset or a granted one.
  { step: 'query', weight: 12 },
  { step: 'sample-download', weight: 5 },
  // The header's inbox link polls; the inbox page itself is opened now and then.
  { step: 'inbox', weight: 8 },
  { step: 'my-requests', weight: 5 },
  { step: 'request', weight: 5 },
]

/** A view of the query service as `GET /api/query/views` lists it (the fields the mix uses). */
export interface LoadView {
  name: string
  dataset: { slug: string }
  scope: 'full' | 'sample'
  basis: string
  version: number
  columns: { name: string; type: string; masked: boolean }[]
}

/** A signed-in person behind one virtual user, and what the portal would remember for them. */
export interface LoadPerson {
  username: string
  /** Session cookie and CSRF token. */
  headers: Record<string, string>
  /** As the last `GET /api/query/views` answered. */
  views: LoadView[]
  /** Datasets this person holds a grant for (slugs). */
  granted: Set<string>
  /** Their open requests: dataset slug → request id, oldest first. */
  openRequests: Map<string, string>
  random: () => number
}

/** The datasets everyone signed in may discover, as `GET /api/datasets` lists them. */
export interface LoadCatalogue {
  datasets: { slug: string; security: string }[]
}

/**
 * One HTTP call made for the person, recorded by the caller. Resolves to the answer's `data`
 * (JSON) or bytes, or undefined when the call failed or was not made (the level had ended).
 */
export type LoadCall = (
  kind: LoadKind,
  method: 'GET' | 'POST',
  path: string,
  options?: { body?: unknown; expect?: number; read?: 'json' | 'bytes' },
) => Promise<unknown>

/** A random number generator from a seed (mulberry32), so every run makes the same choices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

/** The next step of a visit, drawn by the weights of the mix. */
export function pickStep(random: () => number): LoadStep {
  const total = LOAD_MIX.reduce((sum, m) => sum + m.weight, 0)
  let r = random() * total
  for (const m of LOAD_MIX) {
    r -= m.weight
    if (r < 0) return m.step
  }
  return 'search'
}

/** Runs one step of the mix as the person, through `call`. */
export async function runStep(
  step: LoadStep,
  person: LoadPerson,
  catalogue: LoadCatalogue,
  call: LoadCall,
): Promise<void> {
  switch (step) {
    case 'search':
      return await search(person, call)
    case 'dataset-page':
      return await datasetPage(person, pickDataset(person, catalogue), call)
    case 'query':
      return await query(person, call)
    case 'sample-download':
      return await sampleDownload(person, call)
    case 'inbox':
      await call('inbox', 'GET', '/api/notifications')
      return
    case 'my-requests':
      await call('my-requests', 'GET', '/api/requests')
      return
    case 'request':
      return await request(person, catalogue, call)
  }
}

// Words people type, including a misspelling and browsing without words; facets as the search
// page's checkboxes send them.
const SEARCH_TERMS = [
  '',
  '',
  'population',
  'planning area',
  'address',
  'business',
  'weather',
  'rainfall',
  'tempreture',
  'digital services',
  'AI projects',
  'officer training',
  'KPI',
  'postal code',
  'satisfaction survey',
  'government systems',
]
const FACETS: Record<string, string[]>[] = [
  {},
  {},
  {},
  { agency: ['DOS'] },
  { agency: ['GOVTECH', 'MDDI'] },
  { security: ['official-open'] },
  { theme: ['Population'] },
  { sample: ['available'] },
]
const SORTS = ['relevance', 'relevance', 'relevance', 'updated', 'popular']

/** The search page: the catalogue search, and lineage-only matches when there are words. */
async function search(person: LoadPerson, call: LoadCall): Promise<void> {
  const q = pick(person.random, SEARCH_TERMS) ?? ''
  const params = new URLSearchParams({
    ...(q ? { q } : {}),
    sort: pick(person.random, SORTS) ?? 'relevance',
    page: person.random() < 0.1 ? '2' : '1',
    pageSize: '20',
  })
  for (const [facet, values] of Object.entries(pick(person.random, FACETS) ?? {}))
    for (const value of values) params.append(facet, value)
  await Promise.all([
    call('search', 'GET', `/api/search?${params}`),
    q &&
      call(
        'lineage-search',
        'GET',
        `/api/v1/search?${new URLSearchParams({ q, filter: 'DATASET', limit: '10' })}`,
      ),
  ])
}

/**
 * A dataset page as the portal loads it, its Sample and Lineage tabs looked at too: the dataset,
 * the reader's views and the lineage graph at once, then the sample preview once the views say
 * there is one (the first rows of the sample, from the file kept beside it: no query runs).
 */
async function datasetPage(person: LoadPerson, slug: string, call: LoadCall): Promise<void> {
  const node = `dataset:gov-data-portal:${slug}`
  const [, views] = await Promise.all([
    call('dataset', 'GET', `/api/datasets/${slug}`),
    call('views', 'GET', '/api/query/views'),
    call('lineage', 'GET', `/api/v1/lineage?${new URLSearchParams({ nodeId: node, depth: '2' })}`),
  ])
  if (Array.isArray(views)) person.views = views as LoadView[]
  const sample = person.views.find((v) => v.dataset.slug === slug && v.scope === 'sample')
  if (sample)
    await call('sample-preview', 'GET', `/api/datasets/${slug}/versions/${sample.version}/preview`)
}

/** The workbench: one SELECT over a view, favouring granted data for those who hold a grant. */
async function query(person: LoadPerson, call: LoadCall): Promise<void> {
  const granted = person.views.filter((v) => v.basis === 'grant')
  const view =
    granted.length > 0 && person.random() < 0.5
      ? pick(person.random, granted)
      : pick(person.random, person.views)
  if (!view) return
  const text = view.columns.filter((c) => c.type === 'VARCHAR' && !c.masked)
  const group = pick(person.random, text)?.name
  const templates = [
    `SELECT * FROM ${view.name} LIMIT 100`,
    `SELECT count(*) AS n FROM ${view.name}`,
    ...(group
      ? [`SELECT "${group}", count(*) AS n FROM ${view.name} GROUP BY 1 ORDER BY n DESC LIMIT 20`]
      : []),
  ]
  await call('query', 'POST', '/api/query', {
    body: { sql: pick(person.random, templates), format: 'json' },
  })
}

/** Downloads a sample, as the dataset page's buttons do. */
async function sampleDownload(person: LoadPerson, call: LoadCall): Promise<void> {
  const sample = pick(
    person.random,
    person.views.filter((v) => v.scope === 'sample'),
  )
  if (!sample) return
  const format = person.random() < 0.7 ? 'csv' : 'parquet'
  await call(
    'sample-download',
    'GET',
    `/api/datasets/${sample.dataset.slug}/versions/${sample.version}/sample?format=${format}`,
    { read: 'bytes' },
  )
}

/**
 * Asks for a dataset the person has no open request or grant for; when they have asked for
 * everything, withdraws their oldest request instead (the portal refuses a second open request
 * for the same dataset, so a person would not send one).
 */
async function request(person: LoadPerson, catalogue: LoadCatalogue, call: LoadCall) {
  const wanted = catalogue.datasets.filter(
    (d) =>
      d.security !== 'official-open' &&
      !person.openRequests.has(d.slug) &&
      !person.granted.has(d.slug),
  )
  const dataset = pick(person.random, wanted)
  if (dataset) {
    const created = (await call('request-submit', 'POST', '/api/requests', {
      expect: 201,
      body: {
        dataset: dataset.slug,
        purpose: `Load test: plan services by planning area (${person.username})`,
        legalBasis: 'Public Sector (Governance) Act 2018, s. 25',
        durationDays: 90,
        project: { name: 'Estate rejuvenation study' },
      },
    })) as { id?: string } | undefined
    if (created?.id) person.openRequests.set(dataset.slug, created.id)
    return
  }
  const [slug, id] = [...person.openRequests][0] ?? []
  if (!slug || !id) return
  person.openRequests.delete(slug)
  await call('request-withdraw', 'POST', `/api/requests/${id}/withdraw`, {
    body: { reason: 'Load test: no longer needed' },
  })
}

/** A dataset for a page visit: popular ones (early in the list) come more often. */
function pickDataset(person: LoadPerson, catalogue: LoadCatalogue): string {
  const list = catalogue.datasets
  return list[Math.floor(person.random() ** 2 * list.length)]?.slug ?? ''
}

function pick<T>(random: () => number, list: readonly T[]): T | undefined {
  return list[Math.floor(random() * list.length)]
}
