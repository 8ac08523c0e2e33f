/**
 * @module catalog
 * The metadata catalogue: datasets, their immutable versions and columns, classification,
 * glossary, metadata edits, search and the DCAT-AP export, and the HTTP routes over them.
 */

export { CATALOG_API, GLOSSARY_API, SEARCH_API } from './catalog-api.js'
export type { CatalogTables } from './catalog-tables.js'
export {
  type DatasetDetail,
  type DatasetId,
  type Deprecation,
  type PersonalDataKind,
  type QualityResult,
  type QualitySummary,
  SECURITY_CLASSIFICATIONS,
} from './dataset.js'
export {
  type DatasetEvent,
  type DatasetEvents,
  type DatasetListener,
  observeDatasets,
} from './dataset-events.js'
export { findDiscoverableDataset } from './dataset-key.js'
export { type DatasetOwner, findDatasetOwner } from './dataset-owner.js'
export {
  type SearchRequest,
  type SearchResult,
  searchDatasets,
} from './dataset-search.js'
export {
  createDatasetStore,
  type DatasetRegistration,
  type DatasetStore,
  type PublishResult,
} from './dataset-store.js'
export { DCAT_API, dcatRoutes } from './dcat-routes.js'
export { DEPRECATION_API } from './deprecation-api.js'
export { deprecationRoutes } from './deprecation-routes.js'
export { catalogMigrations } from './migrations.js'
export { PROFILE_API } from './profile-api.js'
export { type ProfileRouteDeps, profileRoutes } from './profile-routes.js'
export { createProfileStore, type ProfileStore } from './profile-store.js'
export { catalogRoutes, glossaryRoutes, searchRoutes } from './routes.js'
export { type Suggestion, suggestFor } from './search-suggestions.js'
export { SUGGEST_API } from './suggest-api.js'
export { type SuggestRouteDeps, suggestRoutes } from './suggest-routes.js'
export { currentVersionFiles } from './version-files.js'
