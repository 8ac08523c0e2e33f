/**
 * @module trusted-centre
 * Where SSOT feeds become trusted datasets: feed contracts, ingest with row-level quarantine,
 * fusion pipelines, and publication of immutable Parquet versions into the catalogue.
 */

export { SLA_ADDRESSES } from './contracts/ssot-feeds.js'
export { dataLayout } from './data-layout.js'
export type { FuseTimings } from './fuse.js'
export { trustedCentreMigrations } from './migrations.js'
export { PERSON_ADDRESS_PIPELINE } from './pipelines/person-address-pipeline.js'
export type { Pipeline } from './pipelines/pipeline.js'
export { PIPELINES } from './pipelines/pipelines.js'
export {
  type Candidate,
  type ProfileDeps,
  type PublishDeps,
  type Published,
  type PublishOptions,
  profilePublications,
  profileVersion,
  publishCandidate,
  writeCandidate,
} from './publish.js'
export { FEEDS_API, type FeedRouteDeps, feedRoutes } from './routes.js'
export type { TrustedCentreTables } from './tc-tables.js'
export {
  createTrustedCentre,
  type ProgressListener,
  type TrustedCentre,
} from './trusted-centre.js'
