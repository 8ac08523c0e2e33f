/**
 * @module trusted-centre
 * Where SSOT feeds become trusted datasets: feed contracts, ingest with row-level quarantine,
 * fusion pipelines, and publication of immutable Parquet versions into the catalogue.
 */

export { dataLayout } from './data-layout.js'
export { SLA_ADDRESSES } from './feed-contracts.js'
export type { FuseTimings } from './fuse.js'
export { trustedCentreMigrations } from './migrations.js'
export { PERSON_ADDRESS_PIPELINE } from './person-address-pipeline.js'
export type { Pipeline } from './pipeline.js'
export { PIPELINES } from './pipelines.js'
export { type FeedRouteDeps, failedDeliveriesQuery, feedRoutes } from './routes.js'
export type { TrustedCentreTables } from './tc-tables.js'
export {
  createTrustedCentre,
  type ProgressListener,
  type TrustedCentre,
} from './trusted-centre.js'
