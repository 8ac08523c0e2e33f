import { useNavigate } from 'react-router'
import { useMe } from '../../../lib/use-me.js'
import { useSignOut } from '../api/use-auth.js'

/** The signed-in person in the header: name, agency and roles, and a way out. */
export function UserMenu() {
  const me = useMe()
  const signOut = useSignOut()
  const navigate = useNavigate()
  if (!me.data) return null
  const { user } = me.data
  return (
    <div className="user-menu">
      <span className="user-name">{user.displayName}</span>
      <span className="user-meta">
        {user.agency.code} · {user.roles.join(', ')}
      </span>
      <button
        type="button"
        className="link-button"
        onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/sign-in') })}
        disabled={signOut.isPending}
      >
        Sign out
      </button>
    </div>
  )
}
