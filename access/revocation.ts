import { ConflictError, ForbiddenError } from '../core/index.js'
import { type AppAbility, asSubject, type User } from '../identity/index.js'
import { type Grant, grantStatus } from './access-request.js'
import { announcementOf } from './notices.js'
import { type Decision, historyEvent } from './workflow-effects.js'

/** A grant's early end, asked by `actor`. */
export interface Revocation {
  grant: Grant
  reason: string
  actor: User
  ability: AppAbility
  now: Date
}

/**
 * Decides a revocation: only stewards of the owning agency end a grant, and only one that
 * still gives access. Its request stays approved; the step is recorded in its history.
 */
export function decideRevocation({ grant, reason, actor, ability, now }: Revocation): Decision {
  const subject = asSubject('Grant', { granteeId: grant.grantee.id, agency: grant.dataset.agency })
  if (!ability.can('revoke', subject))
    throw new ForbiddenError(
      `Only stewards of ${grant.dataset.agency}, which owns the dataset, may revoke this grant`,
    )
  const status = grantStatus(grant, now)
  if (status !== 'active')
    throw new ConflictError(`Cannot revoke a grant that is ${status}: it gives no access now`)
  const notice = { requestId: grant.requestId, dataset: grant.dataset, requester: grant.grantee }
  return {
    next: 'approved',
    effects: [
      { kind: 'revoke', grantId: grant.id, reason },
      historyEvent('revoke', 'approved', 'approved', { grant: grant.id, reason }),
      {
        kind: 'notify',
        announcement: announcementOf(notice, actor, { kind: 'grant.revoked', reason }),
      },
      {
        kind: 'audit',
        action: 'grant.revoke',
        subject: { type: 'Grant', id: grant.id },
        details: { dataset: grant.dataset.id, grantee: grant.grantee.username, reason },
      },
    ],
  }
}
