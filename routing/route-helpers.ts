import { zValidator } from '@hono/zod-validator'
import type { Context, ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { type AppAbility, ForbiddenError, type User } from '../core/index.js'

/**
 * What a module's routes read from each request, set by the server's auth middleware: the caller
 * and what they may do.
 */
export interface RouteEnv {
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
export function actorOf(caller: RouteEnv['Variables']['caller']) {
  return { id: caller?.user.id ?? '', name: caller?.user.username ?? 'unknown' }
}

/**
 * The signed-in caller. The server mounts these routes behind sign-in, so reaching one without a
 * caller is refused with `message` rather than trusted.
 */
export function signedInUser(c: Context<RouteEnv>, message: string): User {
  const caller = c.get('caller')
  if (!caller) throw new ForbiddenError(message)
  return caller.user
}

/**
 * The Content-Encoding of a request body as the API reads it: none (`identity`), `gzip`, or
 * undefined for anything else, which no route may read. One rule for the server's input check
 * and the routes that decompress, so no spelling reaches one and not the other.
 */
export function contentEncodingOf(header: string | undefined): 'identity' | 'gzip' | undefined {
  const encoding = (header ?? '').trim().toLowerCase()
  if (encoding === '' || encoding === 'identity') return 'identity'
  return encoding === 'gzip' ? 'gzip' : undefined
}
