import type { DuckDBConnection } from '../core/index.js'
import { quoteLiteral, readRows } from '../core/index.js'
import {
  type CategoryGroups,
  columnStats,
  planSample,
  type SampleColumn,
  type SampleReport,
  writeSamplePreview,
} from '../disclosure/index.js'
import { bindHmacKey } from '../keys/index.js'
import { drawPositions } from './sample-draw.js'

/** How a pipeline's samples are drawn and de-identified. */
export interface SamplePolicy {
  /** Rows drawn from the version (deterministically, by a keyed hash under the sample's key). */
  size: number
  /** Groups a categorical column can be coarsened to before it is hidden. */
  groups?: CategoryGroups
  /** Levels the sample should keep where k allows: { geography: 'planning area' }. */
  keep?: Readonly<Record<string, string>>
}

/** What became of a version's sample. */
export type SampleOutcome =
  | { status: 'published'; rows: number; k: number; report: SampleReport }
  | { status: 'refused'; k: number; reason: string }

/** Rare combinations may be suppressed, up to this share of the rows drawn. */
export const MAX_SUPPRESSED_SHARE = 0.05
/** Distinct values of every sensitive column within each class of the others. */
export const SAMPLE_L = 2

/**
 * Writes a sample of `source` to `target`: rows drawn at positions a keyed hash under
 * `sampleKey` picks (see `drawPositions`), every column assessed over the whole version, direct identifiers (and columns that name rows one by one)
 * replaced by pseudonyms under `sampleKey` (this sample's own key, so no two samples or grants
 * join on them), every other non-measure column generalised by the least-loss node of its
 * hierarchies' lattice that reaches k and l, the few rows still in rare classes suppressed. The
 * report is written inside the Parquet file too, and its first rows beside it as a preview
 * (`samplePreviewPath(target)`). If no node reaches k nothing is written.
 */
export async function makeSample(
  conn: DuckDBConnection,
  options: {
    source: string
    target: string
    columns: readonly SampleColumn[]
    policy: SamplePolicy
    k: number
    sampleKey: Buffer
  },
): Promise<SampleOutcome> {
  const { policy, k } = options
  const source = `read_parquet(${quoteLiteral(options.source)})`
  const [{ n } = { n: '0' }] = await readRows<{ n: string }>(
    conn,
    `SELECT count(*) AS n FROM ${source}`,
  )
  const rows = Number(n)
  if (rows < k)
    return { status: 'refused', k, reason: `The version has ${rows} rows, fewer than k = ${k}` }
  if (policy.size < k)
    return {
      status: 'refused',
      k,
      reason: `The sample draws ${policy.size} rows, fewer than k = ${k}`,
    }
  // Drawn, and written, in an order only the sample's key makes: neither the rows chosen nor
  // their order can be worked out from the data, so no sample row lines up with a feed's.
  const positions = drawPositions(options.sampleKey, rows, policy.size)
  await conn.run(`CREATE OR REPLACE TEMP TABLE sample_base AS
    SELECT v.* EXCLUDE (file_row_number), d.__row
    FROM read_parquet(${quoteLiteral(options.source)}, file_row_number = true) v
    JOIN (SELECT unnest([${positions.join(', ')}]::BIGINT[]) AS position,
                 unnest(range(${positions.length})) AS __row) d
      ON d.position = v.file_row_number`)
  // The labels settle a direct identifier's treatment and a steward's decision settles the
  // column's: the data is measured only for the columns it can still decide.
  const assessed = options.columns.filter(
    (c) => c.personalData !== 'direct-identifier' && !c.decision,
  )
  const stats = await columnStats(
    conn,
    source,
    assessed.map((c) => c.name),
    k,
  )
  await bindHmacKey(conn, 'sample_key', options.sampleKey)
  const plan = await planSample(conn, 'sample_base', {
    columns: options.columns,
    stats,
    k,
    l: SAMPLE_L,
    maxSuppressedShare: MAX_SUPPRESSED_SHARE,
    ...(policy.groups ? { groups: policy.groups } : {}),
    ...(policy.keep ? { keep: policy.keep } : {}),
    maskKey: 'sample_key',
  })
  if (plan.status === 'refused') return { status: 'refused', k, reason: plan.reason }
  const dropped =
    plan.suppressed.length > 0 ? `WHERE __row NOT IN (${plan.suppressed.join(', ')})` : ''
  await conn.run(
    `COPY (SELECT ${plan.select.join(', ')} FROM sample_base ${dropped} ORDER BY __row)
     TO ${quoteLiteral(options.target)}
     (FORMAT parquet, COMPRESSION zstd, KV_METADATA { sample_report: ${quoteLiteral(JSON.stringify(plan.report))} })`,
  )
  // The rows a dataset page shows, kept beside the sample: showing them runs no query.
  await writeSamplePreview(conn, options.target)
  return { status: 'published', rows: plan.report.rows, k, report: plan.report }
}
