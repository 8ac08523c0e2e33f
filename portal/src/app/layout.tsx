import { Link, Outlet } from 'react-router'
import { RequireSignIn } from '../features/auth/components/require-sign-in.js'
import { UserMenu } from '../features/auth/components/user-menu.js'
import { InboxLink } from '../features/notifications/components/notifications-page.js'
import { useHasRole } from '../lib/use-me.js'

function Navigation() {
  const isAuditor = useHasRole('auditor')
  return (
    <nav aria-label="Main">
      <Link to="/">Datasets</Link>
      <Link to="/glossary">Glossary</Link>
      <Link to="/kpis">KPIs</Link>
      <Link to="/query">Query</Link>
      <Link to="/requests">Data requests</Link>
      <InboxLink />
      <Link to="/feeds">Feed contracts</Link>
      <Link to="/tokens">API tokens</Link>
      {isAuditor && <Link to="/audit">Audit trail</Link>}
      {/* Served by the API itself, outside the single-page app. */}
      <a href="/api/docs">API reference</a>
    </nav>
  )
}

/** The frame of every signed-in page: header with navigation and the signed-in person. */
export function Layout() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          Government Data Portal
        </Link>
        <Navigation />
        <UserMenu />
      </header>
      <main id="main">
        <RequireSignIn>
          <Outlet />
        </RequireSignIn>
      </main>
    </>
  )
}

/** The frame of the sign-in page: no navigation until the person is signed in. */
export function PublicLayout() {
  return (
    <>
      <header className="site-header">
        <span className="brand">Government Data Portal</span>
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  )
}
