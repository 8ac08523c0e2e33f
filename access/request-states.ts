import { ConflictError } from '../core/index.js'

/** The steps a request moves by, one `POST /api/requests/:id/<action>` each. */
export const REQUEST_ACTIONS = [
  'approve',
  'reject',
  'ask-info',
  'resubmit',
  'amend',
  'withdraw',
] as const
export type RequestAction = (typeof REQUEST_ACTIONS)[number]

/** The states a request is stored in; an approved one has a grant that is active, expired or revoked. */
export type RequestState = 'submitted' | 'needs-info' | 'approved' | 'rejected' | 'withdrawn'

/** What a person sees: the state, with an approved request shown as its grant's state. */
export type RequestStatus = Exclude<RequestState, 'approved'> | GrantStatus

export type GrantStatus = 'active' | 'expired' | 'revoked'

/**
 * Every legal transition. A Sensitive-High request stays `submitted` after its first approval
 * and becomes `approved` at the second, by a different steward. An amendment leaves the request
 * where it was: still waiting for a steward, or still asked for information.
 */
const TRANSITIONS: Record<RequestState, Partial<Record<RequestAction, RequestState>>> = {
  submitted: {
    approve: 'approved',
    reject: 'rejected',
    'ask-info': 'needs-info',
    amend: 'submitted',
    withdraw: 'withdrawn',
  },
  'needs-info': {
    resubmit: 'submitted',
    amend: 'needs-info',
    reject: 'rejected',
    withdraw: 'withdrawn',
  },
  approved: {},
  rejected: {},
  withdrawn: {},
}

/** Who may take each step: the stewards of the owning agency, or the requester. */
export const ACTION_BY: Record<RequestAction, 'steward' | 'requester'> = {
  approve: 'steward',
  reject: 'steward',
  'ask-info': 'steward',
  resubmit: 'requester',
  amend: 'requester',
  withdraw: 'requester',
}

export function allowedActions(state: RequestState): RequestAction[] {
  return REQUEST_ACTIONS.filter((a) => TRANSITIONS[state][a] !== undefined)
}

/** The state `action` leads to from `state`; an illegal step is a 409 naming the legal ones. */
export function nextState(state: RequestState, action: RequestAction): RequestState {
  const next = TRANSITIONS[state][action]
  if (next) return next
  const allowed = allowedActions(state)
  throw new ConflictError(
    `Cannot ${action} a request that is ${state}: ${
      allowed.length > 0
        ? `allowed now: ${allowed.join(', ')}`
        : 'it is closed; nothing more can be done'
    }`,
  )
}
