import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { DatasetStore } from '../catalog/index.js'
import { type DuckDBInstance, quoteLiteral, withConnection } from '../core/index.js'
import { dataLayout, publishCandidate, writeCandidate } from '../trusted-centre/index.js'
import type { KpiHistoryRow } from './compute-kpis.js'
import { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'

export interface KpiHistoryPublishing {
  catalog: Pick<DatasetStore, 'publishVersion'>
  duckdb: DuckDBInstance
  /** The data directory: the history's versions live where every dataset's do. */
  dataDir: string
}

/** The history's columns as DuckDB reads them from the rows (the dataset's schema). */
const HISTORY_COLUMNS =
  "{number: 'INTEGER', wording: 'VARCHAR', year: 'INTEGER', period: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', target: 'VARCHAR', status: 'VARCHAR', numerator: 'DOUBLE', denominator: 'DOUBLE', inputs: 'VARCHAR'}"

/**
 * Publishes the totals as the next version of the KPI history dataset, as the Trusted Centre
 * publishes every dataset: written as a candidate, measured, and moved into place inside the
 * catalogue's publishing transaction (unchanged totals publish nothing).
 */
export async function publishKpiHistory(
  deps: KpiHistoryPublishing,
  runId: string,
  rows: readonly KpiHistoryRow[],
) {
  const slug = KPI_HISTORY_DATASET.slug
  const pending = join(deps.dataDir, dataLayout.pendingVersion(slug, runId))
  const json = `${pending}.ndjson`
  try {
    await mkdir(dirname(json), { recursive: true })
    await writeFile(json, rows.map((r) => JSON.stringify(r)).join('\n'))
    const select = `SELECT * FROM read_json(${quoteLiteral(json)}, format = 'newline_delimited', columns = ${HISTORY_COLUMNS}) ORDER BY number, period`
    const candidate = await withConnection(
      () => deps.duckdb.connect(),
      (conn) => writeCandidate(conn, select, pending),
    )
    const { publication } = await publishCandidate(deps, candidate, {
      dataset: KPI_HISTORY_DATASET,
      target: (version) => dataLayout.version(slug, version),
      runId,
    })
    return publication
  } finally {
    // Published, the candidate has its version's name; otherwise neither file is kept.
    await rm(pending, { force: true })
    await rm(json, { force: true })
  }
}
