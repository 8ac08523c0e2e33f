import { InvalidInputError } from '../core/index.js'

/** What a person may do on the platform (ARCHITECTURE.md, "People who use it"). */
export const ROLES = ['officer', 'steward', 'leader', 'admin', 'auditor'] as const
export type Role = (typeof ROLES)[number]

export type UserId = string & { readonly __brand: 'UserId' }

/** An agency, with the Ministry family it belongs to. */
export interface Agency {
  code: string
  name: string
  ministryFamily: string
}

/** A person known to the portal, with their agency and roles. */
export interface User {
  id: UserId
  username: string
  displayName: string
  email: string
  agency: Agency
  roles: Role[]
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value)
}

/** Makes a {@link UserId} from text, or refuses it. */
export function parseUserId(value: string): UserId {
  if (!/^u_[0-9a-f]{24}$/.test(value))
    throw new InvalidInputError(`User id '${value}' must be 'u_' followed by 24 hex digits`)
  return value as UserId
}
