import type { Entitlement } from '../access/index.js'
import type { AppAbility, User } from '../identity/index.js'

/**
 * What a caller may read, asked at `now`; with `only`, their entitlements to that one dataset
 * (its id or slug), read alone.
 */
export type ReadEntitlements = (
  user: User,
  ability: AppAbility,
  now: Date,
  only?: { dataset: string },
) => Promise<Entitlement[]>
