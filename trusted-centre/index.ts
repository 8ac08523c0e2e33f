/**
 * @module trusted-centre
 * Where SSOT feeds become trusted datasets: feed contracts, ingest with row-level quarantine,
 * fusion pipelines, and publication of immutable Parquet versions into the catalogue.
 */

export { dataLayout } from './data-layout.js'
export type { ColumnType, FeedColumn, FeedContract, ValueRule } from './feed-contract.js'
export { DOS_PERSONS, FEED_CONTRACTS, findFeedContract, SLA_ADDRESSES } from './feed-contracts.js'
export type { FuseResult } from './fuse.js'
export type { IngestResult } from './ingest.js'
export { trustedCentreMigrations } from './migrations.js'
export { PERSON_ADDRESS_PIPELINE, PIPELINES } from './person-address-pipeline.js'
export type { Pipeline } from './pipeline.js'
export type { Run } from './run.js'
export type { TrustedCentreTables } from './tc-tables.js'
export {
  createTrustedCentre,
  type TrustedCentre,
  type TrustedCentreDeps,
} from './trusted-centre.js'
