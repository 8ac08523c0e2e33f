import type { AccessStore } from './access-store.js'
import type { RequestState } from './request-states.js'

/** A step of the sharing workflow that has committed: what happened to which request. */
export interface WorkflowChange {
  /** A request submitted, a step on one (approve, reject, withdraw, …), or a grant revoked. */
  kind: 'submitted' | 'step' | 'revoked'
  requestId: string
  /** The request's state after the step. */
  state: RequestState
  /** Whether the step decided the request (approved or rejected it): a new sharing record. */
  decided: boolean
}

/**
 * Told of every committed step, after its transaction: it must not throw (the step has happened
 * whatever the listener does) and should return quickly (the caller's answer waits for it).
 */
export type WorkflowListener = (change: WorkflowChange) => void

const DECIDED: readonly RequestState[] = ['approved', 'rejected']

/**
 * The store, telling `listener` of every step once it has committed (a step that fails tells
 * nothing). Lets the composition root react to the workflow (e.g. recompute the sharing KPIs)
 * without the access module knowing who listens.
 * @example const access = observeWorkflow(createAccessStore(db, calendar, audit), (change) => …)
 */
export function observeWorkflow(store: AccessStore, listener: WorkflowListener): AccessStore {
  const tell = (kind: WorkflowChange['kind'], requestId: string, state: RequestState) =>
    listener({ kind, requestId, state, decided: kind === 'step' && DECIDED.includes(state) })
  return {
    ...store,
    async submit(...args) {
      const request = await store.submit(...args)
      tell('submitted', request.id, request.state)
      return request
    },
    async act(...args) {
      const request = await store.act(...args)
      tell('step', request.id, request.state)
      return request
    },
    async revokeGrant(...args) {
      const grant = await store.revokeGrant(...args)
      tell('revoked', grant.requestId, 'approved')
      return grant
    },
  }
}
