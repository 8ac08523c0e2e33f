import type { ReactNode } from 'react'

/** A loading placeholder that screen readers announce. */
export function Loading({ label }: { label: string }) {
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {label}
    </p>
  )
}

/** A failure the reader can act on: what went wrong and what to try. */
export function ErrorState({
  title,
  error,
  action,
}: {
  title: string
  error: unknown
  action?: ReactNode
}) {
  const message = error instanceof Error ? error.message : 'Something went wrong.'
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      {action}
    </div>
  )
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="state state-empty">
      <h2>{title}</h2>
      <p>{children}</p>
    </div>
  )
}
