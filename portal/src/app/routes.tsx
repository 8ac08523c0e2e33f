import type { RouteObject } from 'react-router'
import { Link } from 'react-router'
import { EmptyState } from '../components/ui/page-state.js'
import { DatasetListPage } from '../features/datasets/components/dataset-list-page.js'
import { DatasetPage } from '../features/datasets/components/dataset-page.js'
import { Layout } from './layout.js'

function NotFoundPage() {
  return (
    <EmptyState title="Page not found">
      There is no page at this address. <Link to="/">Browse all datasets</Link>.
    </EmptyState>
  )
}

/** Every page of the portal, composed from the features. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <DatasetListPage /> },
      { path: 'datasets/:slug', element: <DatasetPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]
