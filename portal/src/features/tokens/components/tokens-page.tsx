import { type FormEvent, useId, useState } from 'react'
import { EmptyState, ErrorState, Loading } from '../../../components/ui/page-state.js'
import { formatDateTime } from '../../../lib/format.js'
import { type NewToken, useCreateToken, useRevokeToken, useTokens } from '../api/use-tokens.js'

/** Personal API tokens for scripts: create one (its secret is shown once), see them, revoke them. */
export function TokensPage() {
  const tokens = useTokens()
  const create = useCreateToken()
  const revoke = useRevokeToken()
  const [name, setName] = useState('')
  const [write, setWrite] = useState(false)
  const [days, setDays] = useState(30)
  const ids = { name: useId(), days: useId(), write: useId() }

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const request: NewToken = {
      name,
      scopes: write ? ['read', 'write'] : ['read'],
      expiresInDays: days,
    }
    create.mutate(request, { onSuccess: () => setName('') })
  }

  return (
    <section aria-labelledby="tokens-heading">
      <h1 id="tokens-heading">API tokens</h1>
      <p className="lede">
        Scripts call the API with <code>Authorization: Bearer &lt;token&gt;</code>. A token acts as
        you, within the scopes you give it, until it expires or you revoke it.
      </p>

      <form className="panel" onSubmit={submit} aria-labelledby="new-token-heading">
        <h2 id="new-token-heading">New token</h2>
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={100}
          placeholder="e.g. nightly sync"
        />
        <label htmlFor={ids.days}>Expires after (days)</label>
        <input
          id={ids.days}
          type="number"
          min={1}
          max={365}
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
          required
        />
        <div className="checkbox">
          <input
            id={ids.write}
            type="checkbox"
            checked={write}
            onChange={(e) => setWrite(e.target.checked)}
          />
          <label htmlFor={ids.write}>
            Allow changes (write scope); without it the token can only read
          </label>
        </div>
        <button type="submit" disabled={create.isPending}>
          Create token
        </button>
        {create.isError && <ErrorState title="The token was not created" error={create.error} />}
      </form>

      {create.data && (
        <div className="notice notice-success" role="status">
          <p>
            <strong>Copy your new token now.</strong> It will not be shown again.
          </p>
          <code className="secret">{create.data.token}</code>
        </div>
      )}

      <h2>Your tokens</h2>
      {tokens.isPending ? (
        <Loading label="Loading tokens…" />
      ) : tokens.isError ? (
        <ErrorState title="Your tokens could not be loaded" error={tokens.error} />
      ) : tokens.data.length === 0 ? (
        <EmptyState title="No tokens yet">
          Create one above to call the API from a script.
        </EmptyState>
      ) : (
        <table>
          <caption>{tokens.data.length} tokens, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scopes</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id}>
                <th scope="row">{token.name}</th>
                <td>{token.scopes.join(', ')}</td>
                <td>{formatDateTime(token.expiresAt)}</td>
                <td>{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : 'Never'}</td>
                <td>
                  {token.revokedAt ? (
                    `Revoked ${formatDateTime(token.revokedAt)}`
                  ) : (
                    <button
                      type="button"
                      onClick={() => revoke.mutate(token.id)}
                      disabled={revoke.isPending}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
