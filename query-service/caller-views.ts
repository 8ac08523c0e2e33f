import type { Entitlement } from '../access/index.js'

/** One of the caller's views: what it is called, what it reads, what it shows. */
export interface CallerView {
  name: string
  entitlement: Entitlement
  /** The columns it shows, and which of them are masked. */
  columns: { name: string; type: string; masked: boolean }[]
}

/** The name of a dataset's view in SQL: its slug in lower-case words joined by `_`. */
export const viewNameOf = (slug: string) => slug.replace(/[^a-z0-9]+/g, '_')

/**
 * One view per entitlement, named after the dataset (`person_address_pa`; its sample
 * `person_address_pa_sample`; a second grant on the same dataset `…_2`).
 */
export function viewsOf(entitlements: readonly Entitlement[]): CallerView[] {
  const taken = new Set<string>()
  return entitlements
    .filter((e) => e.files.length > 0)
    .map((entitlement) => {
      const base = `${viewNameOf(entitlement.dataset.slug)}${entitlement.scope === 'sample' ? '_sample' : ''}`
      let name = base
      for (let n = 2; taken.has(name); n++) name = `${base}_${n}`
      taken.add(name)
      const granted = entitlement.columns ? new Set(entitlement.columns) : undefined
      // An aggregate-only view shows no identifier at all: whom a row is about stays hidden.
      const columns = entitlement.schema
        .filter((c) => !granted || granted.has(c.name))
        .filter((c) => entitlement.scope !== 'aggregates' || c.personalData !== 'direct-identifier')
        .map((c) => ({
          name: c.name,
          type: c.type,
          // Samples come masked from the Trusted Centre; full data is masked by its projection.
          masked:
            c.personalData === 'direct-identifier' &&
            (entitlement.scope === 'sample' || !entitlement.inClear.includes(c.name)),
        }))
      return { name, entitlement, columns }
    })
}

/** A view as the caller's editor shows it: what it reads, on what basis, until when, its columns. */
export const describeView = (v: CallerView) => ({
  name: v.name,
  dataset: v.entitlement.dataset,
  scope: v.entitlement.scope,
  basis: v.entitlement.basis,
  version: v.entitlement.files[0]?.version ?? null,
  expiresAt: v.entitlement.expiresAt ?? null,
  rowFilter: v.entitlement.rowFilter,
  grantedColumns: v.entitlement.columns ?? null,
  // Only full data shows an identifier in clear: samples come masked, aggregates show none.
  inClear: v.entitlement.scope === 'full' ? v.entitlement.inClear : [],
  columns: v.columns,
})
