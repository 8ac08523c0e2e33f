/**
 * @module trusted-centre
 * Where SSOT feeds become trusted datasets: feed contracts, ingest with row-level quarantine,
 * fusion pipelines, and publication of immutable Parquet versions into the catalogue.
 */

export { BUSINESS_PIPELINE, SMALL_CELL_THRESHOLD } from './business-pipeline.js'
export { dataLayout } from './data-layout.js'
export type { ColumnType, FeedColumn, FeedContract, RowRule, ValueRule } from './feed-contract.js'
export {
  DOS_BUSINESSES,
  DOS_PERSONS,
  FEED_CONTRACTS,
  findFeedContract,
  GOVTECH_SENSOR_READINGS,
  GOVTECH_SENSOR_STATIONS,
  MOH_CHRONIC_REGISTRY,
  SLA_ADDRESSES,
} from './feed-contracts.js'
export type { FuseResult, FuseTimings } from './fuse.js'
export type { IngestResult } from './ingest.js'
export { trustedCentreMigrations } from './migrations.js'
export { PERSON_ADDRESS_PIPELINE } from './person-address-pipeline.js'
export type { Pipeline } from './pipeline.js'
export { PIPELINES } from './pipelines.js'
export { POSTAL_GEOCODE_PIPELINE } from './postal-geocode-pipeline.js'
export { type FeedRouteDeps, failedDeliveriesQuery, feedRoutes } from './routes.js'
export type { Run } from './run.js'
export type { LineageSink } from './run-lineage.js'
export type { FailedDelivery } from './run-store.js'
export { SENSOR_PIPELINE } from './sensor-pipeline.js'
export type { TrustedCentreTables } from './tc-tables.js'
export {
  createTrustedCentre,
  type ProgressEvent,
  type ProgressListener,
  type QuarantinedRow,
  type TrustedCentre,
  type TrustedCentreDeps,
} from './trusted-centre.js'
export { operatorOf, TRUSTED_CENTRE_OPERATORS } from './trusted-centre-operators.js'
