import { Link, Outlet } from 'react-router'

/** The frame every page shares: a header with the product name and the main landmark. */
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
        <nav aria-label="Main">
          <Link to="/">Datasets</Link>
        </nav>
      </header>
      <main id="main">
        <Outlet />
      </main>
    </>
  )
}
