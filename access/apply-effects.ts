import type { Kysely } from 'kysely'
import type { AuditLog } from '../audit/index.js'
import type { User } from '../identity/index.js'
import { announce } from '../notifications/index.js'
import type { AccessDb } from './access-tables.js'
import { newGrantRow, newRequestRow, requestChangesRow } from './request-rows.js'
import { openRequestConflict } from './submission.js'
import type { Effect } from './workflow-effects.js'

/** Whose step the effects are, on which request, when. */
export interface EffectContext {
  /** The access request the step is about. */
  accessRequestId: string
  actor: User
  now: Date
  /** The HTTP request's id, kept on the audit entry. */
  requestId: string | undefined
  audit: Pick<AuditLog, 'append'> | undefined
}

/**
 * Writes a decision's effects in order, inside the step's transaction: the audit entry commits
 * with the change it records, or neither does.
 */
export async function applyEffects(
  trx: AccessDb,
  effects: readonly Effect[],
  context: EffectContext,
): Promise<void> {
  for (const effect of effects) await applyEffect(trx, effect, context)
}

async function applyEffect(trx: AccessDb, effect: Effect, context: EffectContext) {
  const { accessRequestId: id, actor, now } = context
  switch (effect.kind) {
    case 'create':
      await trx
        .insertInto('access_requests')
        .values(newRequestRow(effect.request))
        .execute()
        .catch((error: unknown) => {
          // Lost a race with the same person's other submission (access_requests_one_open).
          if ((error as { code?: string }).code === '23505')
            throw openRequestConflict(effect.request.dataset.title)
          throw error
        })
      return
    case 'update':
      await trx
        .updateTable('access_requests')
        .set(requestChangesRow(effect.changes, now))
        .where('id', '=', id)
        .execute()
      return
    case 'approval':
      await trx
        .insertInto('access_approvals')
        .values({
          request_id: id,
          steward_id: actor.id,
          steward: actor.username,
          at: now,
          conditions: JSON.stringify(effect.conditions),
        })
        .execute()
      return
    case 'drop-approvals': {
      const ofRequest = trx.deleteFrom('access_approvals').where('request_id', '=', id)
      const { stewardIds } = effect
      await (stewardIds === 'all'
        ? ofRequest
        : ofRequest.where('steward_id', 'in', [...stewardIds])
      ).execute()
      return
    }
    case 'grant':
      await trx.insertInto('grants').values(newGrantRow(effect.grant)).execute()
      return
    case 'revoke':
      await trx
        .updateTable('grants')
        .set({ revoked_at: now, revoked_by: actor.username, revoke_reason: effect.reason })
        .where('id', '=', effect.grantId)
        .execute()
      return
    case 'event':
      await trx
        .insertInto('access_request_events')
        .values({
          request_id: id,
          at: now,
          actor_id: actor.id,
          actor: actor.username,
          action: effect.action,
          from_state: effect.from ?? null,
          to_state: effect.to,
          details: JSON.stringify(effect.details),
        })
        .execute()
      return
    case 'notify':
      await announce(trx, effect.announcement, now)
      return
    case 'audit':
      await context.audit?.append(
        {
          actor: { id: actor.id, name: actor.username },
          action: effect.action,
          outcome: 'succeeded',
          subject: effect.subject,
          details: effect.details,
          ...(context.requestId && { requestId: context.requestId }),
        },
        now,
        trx as Kysely<unknown>,
      )
      return
  }
}
