import type { Entitlement } from '../access/index.js'
import type { AppAbility, User } from '../identity/index.js'
import type { KpiDefinition } from './kpi-definition.js'

/** A caller's current entitlements, as the access module answers them. */
export type EntitlementsOf = (user: User, ability: AppAbility, now: Date) => Promise<Entitlement[]>

/** Whether a KPI's breakdowns may be shown; why not, otherwise, in words an officer reads. */
export type BreakdownVerdict = { visible: true } | { visible: false; reason: string }

/**
 * Whether the caller may see a KPI's breakdowns. The sharing records are read in aggregate by
 * those who may see sharing statistics; the catalogue's core fields are metadata any officer may
 * discover; breakdowns computed from datasets follow the access rules of those datasets.
 */
export async function breakdownAccess(
  definition: KpiDefinition,
  caller: { user: User; ability: AppAbility } | undefined,
  entitlementsOf: EntitlementsOf,
  now: Date,
): Promise<BreakdownVerdict> {
  if (definition.records === 'sharingRecords')
    return caller?.ability.can('read', 'SharingStatistics')
      ? { visible: true }
      : {
          visible: false,
          reason:
            'Breakdowns of data sharing by Ministry family are for leaders, administrators and auditors',
        }
  if (definition.records === 'coreFields') return { visible: true }
  const entitled = caller ? await entitlementsOf(caller.user, caller.ability, now) : []
  return decideBreakdownAccess(entitled, definition.datasets)
}

/**
 * Breakdowns of a KPI computed from datasets: shown only when, for every one of them, a single
 * full entitlement covers every row and column the breakdown is computed from (open data, or a
 * grant with no row filter and every column). Masked direct identifiers still count as covered:
 * breakdowns are counts and shares, the same over masked values. Partial grants on one dataset
 * are not added together.
 * @example decideBreakdownAccess(await entitlementsFor(db, user, ability, now), definition.datasets)
 */
export function decideBreakdownAccess(
  entitlements: readonly Entitlement[],
  datasets: readonly string[],
): BreakdownVerdict {
  const gaps = datasets.flatMap((slug) => {
    const full = entitlements.filter((e) => e.dataset.slug === slug && e.scope === 'full')
    if (full.some(coversAll)) return []
    const limits = [...new Set(full.map(limitsOf))]
    if (limits.length === 0) return [`you may not read ${slug} in full`]
    if (limits.length === 1) return [`your access to ${slug} covers only ${limits[0]}`]
    return [
      `none of your ${full.length} grants of ${slug} covers all its rows and columns, and separate grants do not add up`,
    ]
  })
  if (gaps.length === 0) return { visible: true }
  return {
    visible: false,
    reason: `Breakdowns follow the access rules of the data behind them: ${gaps.join('; ')} — request ${gaps.length === 1 ? 'it' : 'them'} in full, or ask a leader`,
  }
}

function coversAll(entitlement: Entitlement): boolean {
  if (entitlement.basis === 'open-data') return true
  return (
    entitlement.basis === 'grant' &&
    entitlement.rowFilter.length === 0 &&
    missingColumnsOf(entitlement).length === 0
  )
}

function missingColumnsOf(entitlement: Entitlement): string[] {
  const { columns, schema } = entitlement
  return columns === undefined ? [] : schema.map((c) => c.name).filter((c) => !columns.includes(c))
}

/** What a full entitlement that falls short leaves out, e.g. "some of its rows (a row filter)". */
function limitsOf(entitlement: Entitlement): string {
  const missing = missingColumnsOf(entitlement).length
  const total = entitlement.schema.length
  const columns = `some of its columns (${total - missing} of ${total})`
  const rows = 'some of its rows (a row filter)'
  if (entitlement.rowFilter.length > 0 && missing > 0) return `${rows} and ${columns}`
  return entitlement.rowFilter.length > 0 ? rows : columns
}
