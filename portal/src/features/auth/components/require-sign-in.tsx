import type { ReactNode } from 'react'
import { Navigate, useLocation } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useMe } from '../../../lib/use-me.js'

/** Shows its children to a signed-in person; sends anyone else to the sign-in page and back. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const me = useMe()
  const location = useLocation()
  if (me.isPending) return <Loading label="Checking your sign-in…" />
  if (me.isError)
    return <ErrorState title="The portal could not check your sign-in" error={me.error} />
  if (!me.data) {
    const returnTo = `${location.pathname}${location.search}`
    return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(returnTo)}`} replace />
  }
  return children
}
