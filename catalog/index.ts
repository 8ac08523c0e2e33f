/**
 * @module catalog
 * The metadata catalogue: datasets, their immutable versions and columns, classification,
 * glossary and search; access requests, their working-day clock, grants and the entitlements the
 * query service reads; and the HTTP routes over all of it.
 */

export {
  ACCESS_SCOPES,
  type AccessRequest,
  type AccessScope,
  type ApprovalConditions,
  type Grant,
  type RequestInput,
  type RowCondition,
} from './access-request.js'
export {
  type AccessRouteDeps,
  approveBody,
  askInfoBody,
  entitlementRoutes,
  grantListQuery,
  grantRoutes,
  rejectBody,
  requestBody,
  requestListQuery,
  requestRoutes,
  resubmitBody,
  revokeBody,
  withdrawBody,
} from './access-routes.js'
export {
  type AccessStore,
  type ActionInput,
  createAccessStore,
  type GrantFilter,
  type RequestFilter,
} from './access-store.js'
export type { CatalogTables } from './catalog-tables.js'
export { type CoreFieldAvailability, coreFieldAvailability } from './core-field-availability.js'
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
export { DCAT_CATALOG_PATH, type DcatCatalogInput, dcatCatalog, isPublic } from './dcat-export.js'
export { type Entitlement, entitlementsFor, liveGrantIds } from './entitlements.js'
export { DatasetNotFoundError } from './errors.js'
export type { GlossaryEntry, GlossaryTerm, TermPatch } from './glossary.js'
export { EXPIRY_NOTICE_WORKING_DAYS, remindExpiringGrants } from './grant-reminders.js'
export { type DatasetOnRecord, type GrantOnRecord, grantsOnRecord } from './grants-on-record.js'
export type { MetadataChange, MetadataPatch } from './metadata-edit.js'
export { catalogMigrations } from './migrations.js'
export {
  markReadBody,
  type NotificationRouteDeps,
  notificationRoutes,
  webhookBody,
  webhookPatch,
  webhookRoutes,
} from './notification-routes.js'
export { inbox, markRead, type Notification, type NotificationKind } from './notifications.js'
export {
  allowedActions,
  type GrantStatus,
  REQUEST_ACTIONS,
  type RequestAction,
  type RequestState,
  type RequestStatus,
} from './request-states.js'
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
export { type ServiceLevel, SHARING_LIMIT_WORKING_DAYS, serviceLevel } from './service-level.js'
export { type SharingRecord, sharingRecords } from './sharing-records.js'
export { type CurrentVersionFile, currentVersionFiles } from './version-files.js'
export type { ResolveHost } from './webhook-transport.js'
export {
  type Delivery,
  deliverDue,
  listDeliveries,
  MAX_ATTEMPTS,
  REFUSED_DESTINATION,
  registerWebhook,
  signature,
  type Webhook,
} from './webhooks.js'
