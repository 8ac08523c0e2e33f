import { type ComponentType, lazy, type ReactNode, Suspense } from 'react'
import type { RouteObject } from 'react-router'
import { Link } from 'react-router'
import { EmptyState, Loading } from '../components/ui/page-state.js'
import { Layout, PublicLayout } from './layout.js'

function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      There is no page at this address. <Link to="/">Browse all datasets</Link>.
    </EmptyState>
  )
}

/**
 * A page loaded when first opened, not with the portal: each route is its own chunk, so the first
 * visit downloads the frame and the page it opens, nothing else.
 */
function page(
  load: () => Promise<ComponentType>,
): Pick<RouteObject, 'lazy' | 'hydrateFallbackElement'> {
  return {
    hydrateFallbackElement: <Loading label="Loading the page…" />,
    lazy: async () => ({ Component: await load() }),
  }
}

/** A part of a page loaded after the page itself (a graph, a preview), with its own placeholder. */
function part<P extends object>(
  label: string,
  load: () => Promise<ComponentType<P>>,
): (props: P) => ReactNode {
  const Part = lazy(async () => ({ default: await load() }))
  return (props: P) => (
    <Suspense fallback={<Loading label={label} />}>
      <Part {...props} />
    </Suspense>
  )
}

const DatasetRequestAccess = part(
  'Loading your access…',
  async () =>
    (await import('../features/requests/components/dataset-request-access.js'))
      .DatasetRequestAccess,
)
const DatasetAccess = part(
  'Loading who holds access…',
  async () => (await import('../features/requests/components/dataset-access.js')).DatasetAccess,
)
const DatasetData = part(
  'Loading the sample…',
  async () => (await import('../features/query/components/dataset-data.js')).DatasetData,
)
const DatasetLineage = part(
  'Loading lineage…',
  async () => (await import('../features/lineage/components/lineage-explorer.js')).DatasetLineage,
)
const FollowButton = part(
  'Loading whether you follow it…',
  async () => (await import('../features/following/components/follow-button.js')).FollowButton,
)
const FollowedDatasets = part(
  'Loading the datasets you follow…',
  async () =>
    (await import('../features/following/components/followed-datasets.js')).FollowedDatasets,
)
const DeprecateDataset = part(
  'Loading the deprecation form…',
  async () =>
    (await import('../features/following/components/deprecate-dataset.js')).DeprecateDataset,
)
const LineageOnlyMatches = part(
  'Looking in lineage…',
  async () => (await import('../features/lineage/components/lineage-search.js')).LineageOnlyMatches,
)

/** Every page of the portal, composed from the features. */
export const routes: RouteObject[] = [
  {
    element: <PublicLayout />,
    children: [
      {
        path: 'sign-in',
        ...page(
          async () => (await import('../features/auth/components/sign-in-page.js')).SignInPage,
        ),
      },
    ],
  },
  {
    element: <Layout />,
    children: [
      {
        index: true,
        ...page(async () => {
          const { SearchPage } = await import('../features/search/components/search-page.js')
          return () => (
            <SearchPage
              alsoFound={(q) => <LineageOnlyMatches q={q} />}
              followed={<FollowedDatasets />}
            />
          )
        }),
      },
      {
        // The overview at /datasets/:slug, each other tab at /datasets/:slug/<tab>.
        path: 'datasets/:slug/:tab?',
        ...page(async () => {
          const { DatasetPage } = await import('../features/datasets/components/dataset-page.js')
          return () => (
            <DatasetPage
              access={(dataset) => <DatasetRequestAccess dataset={dataset} />}
              holders={(slug) => <DatasetAccess slug={slug} />}
              data={(slug, explainSample) => (
                <DatasetData slug={slug} explainSample={explainSample} />
              )}
              lineage={(slug) => <DatasetLineage slug={slug} />}
              follow={(dataset) => <FollowButton slug={dataset.slug} />}
              stewardship={(dataset) => <DeprecateDataset dataset={dataset} />}
            />
          )
        }),
      },
      {
        path: 'lineage',
        ...page(
          async () =>
            (await import('../features/lineage/components/lineage-explorer.js')).LineagePage,
        ),
      },
      {
        path: 'kpis',
        ...page(
          async () =>
            (await import('../features/kpi/components/kpi-dashboard.js')).KpiDashboardPage,
        ),
      },
      {
        path: 'kpis/:number',
        ...page(async () => (await import('../features/kpi/components/kpi-page.js')).KpiPage),
      },
      {
        path: 'feeds',
        ...page(async () => (await import('../features/feeds/components/feeds-page.js')).FeedsPage),
      },
      {
        path: 'glossary',
        ...page(
          async () =>
            (await import('../features/glossary/components/glossary-page.js')).GlossaryPage,
        ),
      },
      {
        path: 'requests',
        ...page(
          async () =>
            (await import('../features/requests/components/requests-page.js')).RequestsPage,
        ),
      },
      {
        path: 'requests/:id',
        ...page(
          async () => (await import('../features/requests/components/request-page.js')).RequestPage,
        ),
      },
      {
        path: 'agency',
        ...page(async () => {
          const [{ AgencyPage }, { RevokeGrant }, { StatusBadge }] = await Promise.all([
            import('../features/agency/components/agency-page.js'),
            import('../features/requests/components/revoke-grant.js'),
            import('../features/requests/components/service-level-badge.js'),
          ])
          return () => (
            <AgencyPage
              status={(status) => <StatusBadge status={status} />}
              revoke={(grant, onRevoked) => (
                <RevokeGrant
                  grantId={grant.id}
                  grantee={grant.grantee.username}
                  onRevoked={onRevoked}
                />
              )}
            />
          )
        }),
      },
      {
        path: 'notifications',
        ...page(
          async () =>
            (await import('../features/notifications/components/notifications-page.js'))
              .NotificationsPage,
        ),
      },
      {
        path: 'query',
        ...page(async () => {
          const [{ WorkbenchPage }, { SaveQueryButton }, { SavedQueryList }] = await Promise.all([
            import('../features/query/components/workbench-page.js'),
            import('../features/saved-queries/components/save-query-button.js'),
            import('../features/saved-queries/components/saved-query-list.js'),
          ])
          return () => (
            <WorkbenchPage
              saveQuery={(sql) => <SaveQueryButton sql={sql} />}
              savedQueries={<SavedQueryList />}
            />
          )
        }),
      },
      {
        path: 'queries/:id',
        ...page(async () => {
          const [{ SavedQueryPage }, { AnswerPanel }] = await Promise.all([
            import('../features/saved-queries/components/saved-query-page.js'),
            import('../features/query/components/answer-panel.js'),
          ])
          return () => <SavedQueryPage results={(answer) => <AnswerPanel answer={answer} />} />
        }),
      },
      {
        path: 'tokens',
        ...page(
          async () => (await import('../features/tokens/components/tokens-page.js')).TokensPage,
        ),
      },
      {
        path: 'audit',
        ...page(async () => (await import('../features/audit/components/audit-page.js')).AuditPage),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]
