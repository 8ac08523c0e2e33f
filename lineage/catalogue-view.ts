import type { AppAbility } from '../identity/index.js'
import type { DatasetVisibility, EntityId } from './graph/entity-id.js'
import { PORTAL_NAMESPACE } from './producer.js'

/** What a caller may see of datasets, from the catalogue's read rules. */
export interface CatalogueView {
  /**
   * Catalogue datasets they may not discover are hidden; every other dataset is visible. Only the
   * datasets looked up are known: the catalogue is asked about those, never listed whole.
   */
  visible: DatasetVisibility
  /** Whether a catalogue dataset (by slug, looked up) exists and they may open it, to link lineage to it. */
  opens: (slug: string) => boolean
  /** Of these names in our namespace, the catalogue datasets they may not discover. */
  hiddenAmong: (names: readonly string[]) => Promise<readonly string[]>
}

/**
 * Of these slugs, the catalogue's datasets, each with whether the caller may discover it (the
 * catalogue's own read rules); a slug the catalogue does not hold is left out.
 */
export type LookUpCatalogue = (
  slugs: readonly string[],
  ability: AppAbility,
) => Promise<readonly { slug: string; discoverable: boolean }[]>

/**
 * What a caller may see of the catalogue in lineage: every dataset outside it, and the
 * catalogue's own only where they may discover them (the same read rules as everywhere); and
 * which catalogue entries they may open, for links. Each name is asked of the catalogue once,
 * when a walk, a search or a page first meets it: a lineage read costs what its answer holds,
 * not what the catalogue holds (reading every slug took ~280 ms a call at 100,000 entries).
 */
export function catalogueView(
  lookUpCatalogue: LookUpCatalogue,
  ability: AppAbility,
): CatalogueView {
  /** Names asked of the catalogue, and of those it holds, whether the caller may discover each. */
  const asked = new Set<string>()
  const discoverable = new Map<string, boolean>()
  const ours = (dataset: EntityId) => dataset.namespace === PORTAL_NAMESPACE
  const lookUp = async (names: readonly string[]) => {
    const fresh = [...new Set(names)].filter((name) => !asked.has(name))
    if (fresh.length === 0) return
    for (const row of await lookUpCatalogue(fresh, ability))
      discoverable.set(row.slug, row.discoverable)
    for (const name of fresh) asked.add(name)
  }
  // Not asked yet is not seen: a read that forgot to look a dataset up hides it. One the
  // catalogue holds is seen only when its rules say so in as many words (a NULL hides it too).
  const sees = (dataset: EntityId) => {
    if (!ours(dataset)) return true
    const held = discoverable.get(dataset.name)
    return held === undefined ? asked.has(dataset.name) : held === true
  }
  return {
    visible: {
      lookUp: (datasets) => lookUp(datasets.filter(ours).map((d) => d.name)),
      sees,
    },
    opens: (slug) => discoverable.get(slug) === true,
    async hiddenAmong(names) {
      await lookUp(names)
      return names.filter((name) => discoverable.has(name) && discoverable.get(name) !== true)
    },
  }
}
