import {
  AbilityBuilder,
  ForbiddenError as CaslForbiddenError,
  createMongoAbility,
  type ForcedSubject,
  type MongoAbility,
  subject,
} from '@casl/ability'
import { ForbiddenError } from '../core/index.js'
import type { User } from './user.js'

/** What can be done. `manage` means every action on the subject. */
export type Action =
  | 'read'
  | 'update'
  | 'create'
  | 'decide'
  | 'revoke'
  | 'verify'
  | 'export'
  | 'delete'
  | 'manage'

/** The kinds of thing rules speak about, with the fields their conditions use. */
export interface Subjects {
  Dataset: { agency: string; security: string; sensitivity: string }
  ApiToken: { userId: string }
  AuditLog: Record<string, never>
  /** The whole-of-government business glossary (terms and definitions, not their links). */
  GlossaryTerm: Record<string, never>
  /** A request for a dataset: its requester, and the agency owning the dataset. */
  AccessRequest: { requesterId: string; agency: string }
  /** Access granted on a request: to whom, on a dataset of which agency. */
  Grant: { granteeId: string; agency: string }
  /** An agency's receiver of data-sharing events. */
  Webhook: { agency: string }
  /**
   * What a Trusted Centre keeps of a delivery it refused (the file's own text): the agency that
   * operates the centre.
   */
  RefusedDelivery: { agency: string }
  User: { id: string; agency: string }
  /** OpenLineage events and the lineage graph made from them. */
  LineageEvent: Record<string, never>
  /**
   * A lineage namespace registered to an agency: `update` is writing events into it, `create` and
   * `revoke` are registering and removing it.
   */
  LineageNamespace: { agency: string }
  /** The Blueprint KPIs: reading the dashboard, recomputing on demand. */
  Kpi: Record<string, never>
  /** Data sharing across agencies in aggregate (KPIs 12 and 14 by Ministry family). */
  SharingStatistics: Record<string, never>
}
export type SubjectType = keyof Subjects

type TaggedSubject = { [K in SubjectType]: ForcedSubject<K> & Subjects[K] }[SubjectType]

export type AppAbility = MongoAbility<[Action, SubjectType | TaggedSubject | 'all']>

/**
 * Security levels any signed-in officer may discover; data above them is visible only to its own
 * agency (and to administrators and auditors).
 */
export const DISCOVERABLE_SECURITY = [
  'official-open',
  'official-closed',
  'restricted',
  'confidential-cloud-eligible',
] as const

/**
 * The one place access rules are written: what a caller may do, from their roles and agency.
 * Anonymous callers (undefined) may do nothing.
 * @example defineAbilityFor(user).can('update', asSubject('Dataset', { agency: 'DOS', … }))
 */
export function defineAbilityFor(user: User | undefined): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility)
  if (!user) return build()
  const agency = user.agency.code

  can('read', 'Dataset', { security: { $in: [...DISCOVERABLE_SECURITY] } })
  can('read', 'Dataset', { agency })
  can(['create', 'read', 'revoke'], 'ApiToken', { userId: user.id })
  can('read', 'User', { id: user.id })
  // Anyone signed in may ask for data; they see their own requests and grants.
  can('create', 'AccessRequest')
  can('read', 'AccessRequest', { requesterId: user.id })
  can('read', 'Grant', { granteeId: user.id })
  // Lineage is metadata: anyone signed in reads it (minus datasets hidden from them).
  can('read', 'LineageEvent')
  can('read', 'LineageNamespace')
  can('read', 'Kpi')

  if (user.roles.includes('steward')) {
    can('update', 'Dataset', { agency })
    can(['create', 'update'], 'GlossaryTerm')
    // Stewards decide on requests for their agency's datasets and see who holds access to them.
    can(['read', 'decide'], 'AccessRequest', { agency })
    can(['read', 'revoke'], 'Grant', { agency })
    can(['read', 'create', 'update', 'delete'], 'Webhook', { agency })
    // Only the stewards of the agency running a Trusted Centre read what refused files held.
    can('read', 'RefusedDelivery', { agency })
    // Stewards (and their API tokens) send OpenLineage events from their agencies' tools, into
    // the namespaces registered to their agency.
    can('create', 'LineageEvent')
    can('update', 'LineageNamespace', { agency })
    can('update', 'Kpi')
  }
  if (user.roles.includes('leader')) {
    can('read', 'SharingStatistics')
  }
  if (user.roles.includes('admin')) {
    can('read', 'Dataset')
    can('manage', 'User')
    can('manage', 'GlossaryTerm')
    can('read', 'AccessRequest')
    can(['read', 'revoke'], 'Grant')
    can(['read', 'create', 'update', 'delete'], 'Webhook')
    can('create', 'LineageEvent')
    can('update', 'LineageNamespace', { agency })
    // Administrators decide which agency owns which lineage namespace.
    can(['create', 'revoke'], 'LineageNamespace')
    can('verify', 'AuditLog')
    can('update', 'Kpi')
    can('read', 'SharingStatistics')
  }
  if (user.roles.includes('auditor')) {
    can('read', 'Dataset')
    can('read', 'User')
    can('read', ['AccessRequest', 'Grant'])
    can(['read', 'verify', 'export'], 'AuditLog')
    can('read', 'SharingStatistics')
  }
  return build()
}

/**
 * Everything, for the platform's own jobs (publishing, start-up), never for a request.
 */
export function systemAbility(): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility)
  can('manage', 'all')
  return build()
}

/**
 * What anyone may see without signing in: the catalogue entries of Official (Open), Non-Sensitive
 * datasets, for the public DCAT export.
 */
export function publicAbility(): AppAbility {
  const { can, build } = new AbilityBuilder<AppAbility>(createMongoAbility)
  can('read', 'Dataset', { security: 'official-open', sensitivity: 'non-sensitive' })
  return build()
}

/** Tags a plain object with its subject type, so conditions can be checked against its fields. */
export function asSubject<T extends SubjectType>(
  type: T,
  fields: Subjects[T],
): ForcedSubject<T> & Subjects[T] {
  return subject(type, { ...fields })
}

/** What each kind of thing is called when a refusal names it to a person. */
const SUBJECT_WORDS: Record<SubjectType, string> = {
  Dataset: 'this dataset',
  ApiToken: 'this API token',
  AuditLog: 'the audit trail',
  GlossaryTerm: 'the business glossary',
  AccessRequest: 'this access request',
  Grant: 'this grant',
  Webhook: "this agency's webhooks",
  RefusedDelivery: "this Trusted Centre's refused deliveries",
  User: 'this user',
  LineageEvent: 'lineage events',
  LineageNamespace: 'this lineage namespace',
  Kpi: 'the KPIs',
  SharingStatistics: 'data-sharing statistics',
}

/** What each action is called in a refusal: "You may not <verb> <thing>". */
const ACTION_WORDS: Record<Action, string> = {
  read: 'read',
  update: 'change',
  create: 'create',
  decide: 'decide on',
  revoke: 'revoke',
  verify: 'verify',
  export: 'export',
  delete: 'delete',
  manage: 'manage',
}

/**
 * Throws our {@link ForbiddenError} (403) unless the ability allows the action; its message
 * says in words what was refused ("You may not read the audit trail"), never a class name.
 */
export function assertCan(
  ability: AppAbility,
  action: Action,
  target: Parameters<AppAbility['can']>[1],
): void {
  try {
    CaslForbiddenError.from(ability).throwUnlessCan(action, target)
  } catch (error) {
    if (error instanceof CaslForbiddenError) {
      const type = (typeof target === 'string' ? target : error.subjectType) as SubjectType
      throw new ForbiddenError(`You may not ${ACTION_WORDS[action]} ${SUBJECT_WORDS[type] ?? type}`)
    }
    throw error
  }
}
