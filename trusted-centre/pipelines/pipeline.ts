import type { DatasetRegistration } from '../../catalog/index.js'
import type { FeedContract } from '../contracts/feed-contract.js'
import type { SamplePolicy } from '../make-sample.js'
import type { QualityAssertion } from '../quality.js'

/**
 * A declared fusion: which feeds it reads (each visible to the SQL as a view named after the
 * feed, holding its current accepted snapshot), the SELECT that fuses them, the key that orders
 * the output, and the catalogue dataset it publishes.
 */
export interface Pipeline {
  id: string
  inputs: readonly FeedContract[]
  /**
   * A single SELECT. Pseudonymous keys are `left(${hmacSql('person_key', <value>)}, 32)`: the
   * `person` key is bound as the `person_key` HMAC variables, and no secret is otherwise visible.
   */
  sql: string
  /** Unique key of an output row; also the order of the written file, so output is reproducible. */
  key: readonly string[]
  dataset: DatasetRegistration
  /** Checks on the output; a failing blocking one stops publication. */
  assertions: readonly QualityAssertion[]
  /** How samples are drawn; by default 1,000 rows with quasi-identifiers suppressed as needed. */
  sample?: SamplePolicy
}
