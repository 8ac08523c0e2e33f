import {
  type LineageDataset,
  lineageFacets,
  PORTAL_NAMESPACE,
  type SqlColumnLineage,
} from '../../lineage/index.js'
import type { FeedColumn, FeedContract } from '../contracts/feed-contract.js'

/** An input column of an output column, and how the output is made from it (OpenLineage's). */
type ColumnSource = SqlColumnLineage['dataset'][number]
type ColumnTransformation = ColumnSource['transformations'][number]

/** Where lineage names the staged (accepted) rows of each feed. */
export const STAGING_NAMESPACE = `${PORTAL_NAMESPACE}.staging`

/** The columns an ingest adds to every staged row, before the feed's own. */
export const PROVENANCE_COLUMNS = [
  { name: '_row', type: 'BIGINT', description: 'Line of the delivery the row was read from' },
  { name: '_run', type: 'VARCHAR', description: 'The ingest run that accepted the row' },
] as const

/** A feed's columns as its contract declares them, for a `schema` facet. */
const contractFields = (feed: FeedContract) =>
  feed.columns.map((c) => ({ name: c.name, type: c.type, description: c.description }))

/** A feed's delivery from its SSOT, as a lineage dataset: the columns its contract promises. */
export function feedDelivery(feed: FeedContract): LineageDataset {
  return {
    namespace: `feeds://${feed.ssot}`,
    name: feed.id,
    facets: { schema: lineageFacets.schema(contractFields(feed)) },
  }
}

/** The staged (accepted) rows of a feed, as a lineage dataset: provenance, then the feed's columns. */
export function stagingDataset(
  feed: FeedContract,
  extra: Partial<LineageDataset> = {},
): LineageDataset {
  return {
    namespace: STAGING_NAMESPACE,
    name: feed.id,
    facets: {
      schema: lineageFacets.schema([...PROVENANCE_COLUMNS, ...contractFields(feed)]),
    },
    ...extra,
  }
}

/** What an ingest does to a delivered value on its way to staging (see ingest.ts `normalized`). */
function transformationOf(column: FeedColumn): ColumnTransformation {
  switch (column.normalize) {
    case 'trim':
      return {
        type: 'DIRECT',
        subtype: 'TRANSFORMATION',
        description: 'Surrounding blanks removed',
      }
    case 'trim-upper':
      return {
        type: 'DIRECT',
        subtype: 'TRANSFORMATION',
        description: 'Surrounding blanks removed and letters upper-cased',
      }
    case 'pad-digits':
      return {
        type: 'DIRECT',
        subtype: 'TRANSFORMATION',
        description: `Surrounding blanks removed and leading zeros restored to ${column.padTo} digits`,
      }
    case undefined:
      // Read as the type the contract promises; a value that is not one quarantines its row.
      return { type: 'DIRECT', subtype: 'IDENTITY' }
  }
}

/**
 * How an ingest makes its staging output from the delivery, as a `columnLineage` facet: each
 * column from the delivered column of the same name, copied or normalised; the provenance
 * columns from no column of the delivery; and which rows are kept depending on every column
 * (a row breaking the contract, or repeating an earlier row exactly, goes to quarantine).
 */
export function stagingColumnLineage(feed: FeedContract) {
  const delivery = feedDelivery(feed)
  const from = (column: FeedColumn, transformation: ColumnTransformation): ColumnSource => ({
    namespace: delivery.namespace,
    name: delivery.name,
    field: column.name,
    transformations: [transformation],
  })
  return lineageFacets.columnLineage(
    Object.fromEntries([
      ...PROVENANCE_COLUMNS.map((c) => [c.name, []]),
      ...feed.columns.map((c) => [c.name, [from(c, transformationOf(c))]]),
    ]),
    feed.columns.map((c) =>
      from(c, {
        type: 'INDIRECT',
        subtype: 'FILTER',
        description:
          'Rows breaking the feed contract, or repeating an earlier row, are quarantined',
      }),
    ),
  )
}
