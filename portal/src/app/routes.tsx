import type { RouteObject } from 'react-router'
import { Link } from 'react-router'
import { EmptyState, Loading } from '../components/ui/page-state.js'
import { AuditPage } from '../features/audit/components/audit-page.js'
import { SignInPage } from '../features/auth/components/sign-in-page.js'
import { DatasetPage } from '../features/datasets/components/dataset-page.js'
import { FeedsPage } from '../features/feeds/components/feeds-page.js'
import { GlossaryPage } from '../features/glossary/components/glossary-page.js'
import { KpiDashboardPage } from '../features/kpi/components/kpi-dashboard.js'
import { KpiPage } from '../features/kpi/components/kpi-page.js'
import { DatasetLineage, LineagePage } from '../features/lineage/components/lineage-explorer.js'
import { LineageOnlyMatches } from '../features/lineage/components/lineage-search.js'
import { NotificationsPage } from '../features/notifications/components/notifications-page.js'
import { DatasetData } from '../features/query/components/dataset-data.js'
import { DatasetAccess } from '../features/requests/components/dataset-access.js'
import { RequestForm } from '../features/requests/components/request-form.js'
import { RequestPage } from '../features/requests/components/request-page.js'
import { RequestsPage } from '../features/requests/components/requests-page.js'
import { SearchPage } from '../features/search/components/search-page.js'
import { TokensPage } from '../features/tokens/components/tokens-page.js'
import { Layout, PublicLayout } from './layout.js'

function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      There is no page at this address. <Link to="/">Browse all datasets</Link>.
    </EmptyState>
  )
}

/** Every page of the portal, composed from the features. */
export const routes: RouteObject[] = [
  { element: <PublicLayout />, children: [{ path: 'sign-in', element: <SignInPage /> }] },
  {
    element: <Layout />,
    children: [
      { index: true, element: <SearchPage alsoFound={(q) => <LineageOnlyMatches q={q} />} /> },
      {
        path: 'datasets/:slug',
        element: (
          <DatasetPage
            requestForm={(dataset, onDone) => <RequestForm dataset={dataset} onDone={onDone} />}
            holders={(slug) => <DatasetAccess slug={slug} />}
            data={(slug) => <DatasetData slug={slug} />}
            lineage={(slug) => <DatasetLineage slug={slug} />}
          />
        ),
      },
      { path: 'lineage', element: <LineagePage /> },
      { path: 'kpis', element: <KpiDashboardPage /> },
      { path: 'kpis/:number', element: <KpiPage /> },
      { path: 'feeds', element: <FeedsPage /> },
      { path: 'glossary', element: <GlossaryPage /> },
      { path: 'requests', element: <RequestsPage /> },
      { path: 'requests/:id', element: <RequestPage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      {
        path: 'query',
        // The SQL editor is the heaviest page: loaded when first opened, not with the portal.
        hydrateFallbackElement: <Loading label="Loading the workbench…" />,
        lazy: async () => ({
          Component: (await import('../features/query/components/workbench-page.js')).WorkbenchPage,
        }),
      },
      { path: 'tokens', element: <TokensPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]
