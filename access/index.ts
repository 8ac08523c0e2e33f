/**
 * @module access
 * The sharing workflow: access requests and their states, approvals, time-bound grants and the
 * entitlements they give, the seven-working-day service level, expiry reminders, the sharing
 * records behind KPI 14, and their routes.
 */

export { ENTITLEMENTS_API, GRANTS_API, REQUESTS_API } from './access-api.js'
export type { RowCondition } from './access-request.js'
export {
  type AccessStore,
  createAccessStore,
} from './access-store.js'
export type { AccessTables } from './access-tables.js'
export { type CoreFieldAvailability, coreFieldAvailability } from './core-field-availability.js'
export { type Entitlement, entitlementsFor, liveGrantIds } from './entitlements.js'
export { remindExpiringGrants } from './grant-reminders.js'
export { dayInWords, describeRowFilter, oneOf } from './grant-terms.js'
export { type GrantUseKind, recordGrantUse } from './grant-usage.js'
export { type DatasetOnRecord, type GrantOnRecord, grantsOnRecord } from './grants-on-record.js'
export { accessMigrations } from './migrations.js'
export { entitlementRoutes, grantRoutes, requestRoutes } from './routes.js'
export { type SharingRecord, sharingRecords } from './sharing-records.js'
export {
  observeWorkflow,
  type WorkflowChange,
  type WorkflowListener,
} from './workflow-listeners.js'
