import { type AppAbility, systemAbility } from '../identity/index.js'
import type { DatasetVisibility } from './graph/entity-id.js'
import { PORTAL_NAMESPACE } from './producer.js'

/** What a caller may see of datasets, from the catalogue's read rules. */
export interface CatalogueView {
  /** Catalogue datasets they may not discover are hidden; every other dataset is visible. */
  visible: DatasetVisibility
  /** Whether a catalogue dataset (by slug) exists and they may open it, to link lineage to it. */
  opens: (slug: string) => boolean
  /** The catalogue datasets (slugs) they may not discover, to leave out in queries. */
  hidden: readonly string[]
}

/** The catalogue's datasets a caller may discover (the catalogue's own read rules). */
export type ListCatalogue = (ability: AppAbility) => Promise<readonly { slug: string }[]>

/**
 * What a caller may see of the catalogue in lineage: every dataset outside it, and the
 * catalogue's own only where they may discover them (the same read rules as everywhere); and
 * which catalogue entries they may open, for links.
 */
export async function catalogueView(
  listCatalogue: ListCatalogue,
  ability: AppAbility,
): Promise<CatalogueView> {
  const [all, readable] = await Promise.all([
    listCatalogue(systemAbility()),
    listCatalogue(ability),
  ])
  const opens = new Set(readable.map((d) => d.slug))
  const hidden = new Set(all.map((d) => d.slug).filter((slug) => !opens.has(slug)))
  return {
    visible: (dataset) => !(dataset.namespace === PORTAL_NAMESPACE && hidden.has(dataset.name)),
    opens: (slug) => opens.has(slug),
    hidden: [...hidden],
  }
}
