/**
 * @module catalog
 * The metadata catalogue: datasets, their immutable versions and columns, classification,
 * glossary, metadata edits, search and the DCAT-AP export, and the HTTP routes over them.
 */

export type { CatalogTables } from './catalog-tables.js'
export {
  type Classification,
  classificationLabel,
  type Dataset,
  type DatasetColumn,
  type DatasetDetail,
  type DatasetId,
  type DatasetVersion,
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
  parseDatasetId,
  type QualityResult,
  type QualitySummary,
  SECURITY_CLASSIFICATIONS,
  SENSITIVITIES,
  type SecurityClassification,
  type Sensitivity,
} from './dataset.js'
export {
  FACETS,
  type Facet,
  type SearchHit,
  type SearchRequest,
  type SearchResult,
  searchDatasets,
} from './dataset-search.js'
export {
  createDatasetStore,
  type DatasetRegistration,
  type DatasetStore,
  type PlaceVersion,
  type PublishResult,
  type SampleRecord,
  type VersionContent,
} from './dataset-store.js'
export { dcatRoutes } from './dcat-routes.js'
export { DatasetNotFoundError } from './errors.js'
export type { GlossaryEntry, GlossaryTerm, TermPatch } from './glossary.js'
export type { MetadataChange, MetadataPatch } from './metadata-edit.js'
export { catalogMigrations } from './migrations.js'
export {
  type CatalogRouteDeps,
  catalogRoutes,
  glossaryRoutes,
  glossaryTermBody,
  glossaryTermPatch,
  metadataPatch,
  searchQuery,
  searchRoutes,
} from './routes.js'
export { type CurrentVersionFile, currentVersionFiles } from './version-files.js'
