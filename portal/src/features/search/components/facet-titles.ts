import type { FacetName } from '../api/use-search.js'

/** Each facet's name as people read it, in the order the page lists them. */
export const FACET_TITLES: Record<FacetName, string> = {
  agency: 'Agency',
  ministryFamily: 'Ministry family',
  trustedCentre: 'Trusted Centre',
  security: 'Security classification',
  sensitivity: 'Sensitivity',
  theme: 'Theme',
  frequency: 'Update frequency',
  sample: 'Sample',
}
export const FACET_NAMES = Object.keys(FACET_TITLES) as FacetName[]
