// The GET calls the portal makes as a person uses it (read from portal/src/features/*/api and
// the download links of its pages), with the fixture's own ids filled in, per kind of person.

/** One call of the portal: the route as declared (the figure's name) and the path asked. */
export interface PortalCall {
  route: string
  path: string
}

/** A person of the fixture the bench signs in as, and the part of the portal they use. */
export interface BenchPerson {
  username: string
  role: 'officer' | 'steward' | 'leader'
  agency: string
}

export const BENCH_PEOPLE: readonly BenchPerson[] = [
  { username: 'officer.moh', role: 'officer', agency: 'MOH' },
  { username: 'steward.dos', role: 'steward', agency: 'DOS' },
  { username: 'leader.mddi', role: 'leader', agency: 'MDDI' },
]

/** What the calls need from the fixture: a dataset with its versions, a request, a lineage job. */
export interface FixtureIds {
  slug: string
  versions: number[]
  /** A request the person may open, if they have one. */
  requestId: string | undefined
  /** A saved query of the person's, if they have one. */
  savedQueryId: string | undefined
  job: { namespace: string; name: string } | undefined
}

const PORTAL_NAMESPACE = 'gov-data-portal'

/** Every GET a visit of the portal makes as this person, in the order a visit makes them. */
export function portalCalls(person: BenchPerson, ids: FixtureIds): PortalCall[] {
  const { slug } = ids
  const version = ids.versions.at(-1) ?? 1
  const dataset = `dataset:${PORTAL_NAMESPACE}:${slug}`
  const calls: PortalCall[] = [
    // Every page: who is signed in; the sign-in page's methods.
    { route: 'GET /api/auth/me', path: '/api/auth/me' },
    { route: 'GET /api/auth/methods', path: '/api/auth/methods' },
    // The front page: catalogue search and suggestions as one types.
    {
      route: 'GET /api/search',
      path: '/api/search?sort=relevance&page=1&pageSize=20',
    },
    {
      route: 'GET /api/search?q',
      path: '/api/search?q=population&sort=relevance&page=1&pageSize=20',
    },
    { route: 'GET /api/search/suggestions', path: '/api/search/suggestions?q=popu' },
    // A dataset page and its tabs.
    { route: 'GET /api/datasets/:id', path: `/api/datasets/${slug}` },
    { route: 'GET /api/datasets/:id/changes', path: `/api/datasets/${slug}/changes` },
    {
      route: 'GET /api/datasets/:id/versions/:version/profiles',
      path: `/api/datasets/${slug}/versions/${version}/profiles`,
    },
    {
      route: 'GET /api/datasets/:id/versions/:version/preview',
      path: `/api/datasets/${slug}/versions/${version}/preview`,
    },
    {
      route: 'GET /api/datasets/:id/versions/:version/sample',
      path: `/api/datasets/${slug}/versions/${version}/sample?format=csv`,
    },
    { route: 'GET /api/entitlements', path: '/api/entitlements' },
    { route: 'GET /api/follows', path: '/api/follows' },
    { route: 'GET /api/glossary', path: '/api/glossary' },
    // The lineage tab and explorer.
    {
      route: 'GET /api/v1/lineage',
      path: `/api/v1/lineage?nodeId=${encodeURIComponent(dataset)}&depth=2`,
    },
    {
      route: 'GET /api/v1/column-lineage',
      path: `/api/v1/column-lineage?nodeId=${encodeURIComponent(`${dataset}`)}`,
    },
    { route: 'GET /api/v1/search', path: '/api/v1/search?q=persons&limit=20' },
    // The workbench.
    { route: 'GET /api/query/views', path: '/api/query/views' },
    { route: 'GET /api/query/history', path: '/api/query/history?show=queries' },
    { route: 'GET /api/saved-queries', path: '/api/saved-queries' },
    // The header's inbox, the person's requests, tokens.
    { route: 'GET /api/notifications', path: '/api/notifications' },
    { route: 'GET /api/requests', path: '/api/requests?mine=true' },
    { route: 'GET /api/tokens', path: '/api/tokens' },
    // The KPI dashboard, a KPI's page, and the requests a sharing KPI counts.
    { route: 'GET /api/kpis', path: '/api/kpis' },
    { route: 'GET /api/kpis/:number', path: '/api/kpis/1' },
    { route: 'GET /api/kpis/:number', path: '/api/kpis/14' },
    { route: 'GET /api/kpis/:number/requests', path: '/api/kpis/14/requests' },
  ]
  if (ids.versions.length >= 2)
    calls.push({
      route: 'GET /api/datasets/:id/schema-diff',
      path: `/api/datasets/${slug}/schema-diff?from=${ids.versions.at(-2)}&to=${version}`,
    })
  if (ids.job)
    calls.push({
      route: 'GET /api/v1/namespaces/:namespace/jobs/:job/runs',
      path: `/api/v1/namespaces/${encodeURIComponent(ids.job.namespace)}/jobs/${encodeURIComponent(ids.job.name)}/runs?limit=20`,
    })
  if (ids.requestId)
    calls.push({ route: 'GET /api/requests/:id', path: `/api/requests/${ids.requestId}` })
  if (ids.savedQueryId)
    calls.push({
      route: 'GET /api/saved-queries/:id',
      path: `/api/saved-queries/${ids.savedQueryId}`,
    })
  if (person.role === 'steward')
    calls.push(
      // The agency pages: the queue, the grants, the feeds' failed deliveries.
      { route: 'GET /api/requests', path: `/api/requests?agency=${person.agency}` },
      { route: 'GET /api/grants', path: `/api/grants?agency=${person.agency}&status=active` },
      { route: 'GET /api/grants', path: `/api/grants?dataset=${slug}` },
      { route: 'GET /api/feeds', path: '/api/feeds' },
    )
  return calls
}
