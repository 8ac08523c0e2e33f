import { useNavigate, useSearchParams } from 'react-router'
import { ErrorState, Loading } from '../../../components/ui/page-state.js'
import { useDevSignIn, useDevUsers, useSignInMethods } from '../api/use-auth.js'

/** Only paths on this site; anything else returns to the home page. */
function safeReturnTo(value: string | null): string {
  return value && /^\/(?!\/)/.test(value) ? value : '/'
}

/** Sign in through the government identity provider, or (in development) as a fixture user. */
export function SignInPage() {
  const [params] = useSearchParams()
  const returnTo = safeReturnTo(params.get('returnTo'))
  const error = params.get('error')
  const methods = useSignInMethods()
  const devUsers = useDevUsers(methods.data?.dev === true)
  const devSignIn = useDevSignIn()
  const navigate = useNavigate()

  return (
    <section className="sign-in" aria-labelledby="sign-in-heading">
      <h1 id="sign-in-heading">Sign in</h1>
      <p className="lede">
        Sign in with your government account to find data, preview samples and request access.
      </p>
      {error && (
        <p className="notice notice-error" role="alert">
          Sign-in did not complete: {error}
        </p>
      )}
      {methods.isPending ? (
        <Loading label="Loading sign-in options…" />
      ) : methods.isError ? (
        <ErrorState title="Sign-in options could not be loaded" error={methods.error} />
      ) : (
        <>
          {methods.data.oidc ? (
            <a
              className="button"
              href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}
            >
              Sign in with your government account
            </a>
          ) : (
            !methods.data.dev && (
              <p>No sign-in method is configured on this server. Ask the platform administrator.</p>
            )
          )}
          {methods.data.dev && (
            <section className="dev-sign-in" aria-labelledby="dev-heading">
              <h2 id="dev-heading">Development sign-in</h2>
              <p className="notice notice-warning">
                For development and demonstrations only: anyone can sign in as any of these
                synthetic users.
              </p>
              {devUsers.isPending ? (
                <Loading label="Loading users…" />
              ) : devUsers.isError ? (
                <ErrorState title="Users could not be loaded" error={devUsers.error} />
              ) : (
                <ul className="user-picker">
                  {devUsers.data.map((user) => (
                    <li key={user.id}>
                      <button
                        type="button"
                        disabled={devSignIn.isPending}
                        onClick={() =>
                          devSignIn.mutate(user.username, { onSuccess: () => navigate(returnTo) })
                        }
                      >
                        <span className="user-name">{user.username}</span>
                        <span className="user-meta">
                          {user.displayName} · {user.agency.code} · {user.roles.join(', ')}
                        </span>
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              {devSignIn.isError && <ErrorState title="Sign-in failed" error={devSignIn.error} />}
            </section>
          )}
        </>
      )}
    </section>
  )
}
