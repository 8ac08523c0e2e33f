/**
 * @module access
 * The sharing workflow: access requests and their states, approvals, time-bound grants and the
 * entitlements they give, the seven-working-day service level, expiry reminders, the sharing
 * records behind KPI 14, and their routes.
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
  type AccessStore,
  type ActionInput,
  createAccessStore,
  type GrantFilter,
  type RequestFilter,
} from './access-store.js'
export type { AccessTables } from './access-tables.js'
export { type CoreFieldAvailability, coreFieldAvailability } from './core-field-availability.js'
export { type Entitlement, entitlementsFor, liveGrantIds } from './entitlements.js'
export { EXPIRY_NOTICE_WORKING_DAYS, remindExpiringGrants } from './grant-reminders.js'
export { type DatasetOnRecord, type GrantOnRecord, grantsOnRecord } from './grants-on-record.js'
export { accessMigrations } from './migrations.js'
export {
  allowedActions,
  type GrantStatus,
  REQUEST_ACTIONS,
  type RequestAction,
  type RequestState,
  type RequestStatus,
} from './request-states.js'
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
} from './routes.js'
export { type ServiceLevel, SHARING_LIMIT_WORKING_DAYS, serviceLevel } from './service-level.js'
export { type SharingRecord, sharingRecords } from './sharing-records.js'
