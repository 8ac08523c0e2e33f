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
  type PersonalDataKind,
  type QualityResult,
  type QualitySummary,
  SECURITY_CLASSIFICATIONS,
} from './dataset.js'
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
export { catalogMigrations } from './migrations.js'
export { catalogRoutes, glossaryRoutes, searchRoutes } from './routes.js'
export { currentVersionFiles } from './version-files.js'
