import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import type { AppAbility, User } from '../core/index.js'

/** What the catalogue's routes read from each request: the caller and what they may do. */
export interface CatalogEnv {
  Variables: {
    ability: AppAbility
    caller: { user: User } | undefined
    requestId: string
  }
}

/**
 * Validates a part of the request with zod; a failure throws the ZodError, so the server's one
 * error handler answers 400 with the canonical body naming each bad field.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw result.error
  })
}

/** The actor of an audit event or a change record. */
export function actorOf(caller: CatalogEnv['Variables']['caller']) {
  return { id: caller?.user.id ?? '', name: caller?.user.username ?? 'unknown' }
}
