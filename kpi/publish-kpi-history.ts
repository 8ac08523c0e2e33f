import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { DatasetStore } from '../catalog/index.js'
import {
  type DuckDBInstance,
  quoteLiteral,
  readRows,
  sha256File,
  withConnection,
} from '../core/index.js'
import type { KpiHistoryRow } from './compute-kpis.js'
import { KPI_HISTORY_DATASET } from './kpi-history-dataset.js'

export interface KpiHistoryPublishing {
  catalog: Pick<DatasetStore, 'publishVersion'>
  duckdb: DuckDBInstance
  /** The file is written under DATA_DIR/kpi/. */
  dataDir: string
}

/** Writes the totals as Parquet and publishes them as the KPI history dataset. */
export async function publishKpiHistory(
  deps: KpiHistoryPublishing,
  id: string,
  rows: readonly KpiHistoryRow[],
) {
  const pending = join(deps.dataDir, 'kpi', `.${id}.parquet.partial`)
  const json = `${pending}.json`
  await mkdir(dirname(pending), { recursive: true })
  try {
    await writeFile(json, rows.map((r) => JSON.stringify(r)).join('\n'))
    const schema = await withConnection(
      () => deps.duckdb.connect(),
      async (conn) => {
        await conn.run(
          `COPY (SELECT * FROM read_json(${quoteLiteral(json)}, format = 'newline_delimited', columns = {number: 'INTEGER', wording: 'VARCHAR', year: 'INTEGER', period: 'VARCHAR', value: 'DOUBLE', unit: 'VARCHAR', target: 'VARCHAR', status: 'VARCHAR', numerator: 'DOUBLE', denominator: 'DOUBLE', inputs: 'VARCHAR'}) ORDER BY number, period) TO ${quoteLiteral(pending)} (FORMAT parquet)`,
        )
        return readRows<{ column_name: string; column_type: string }>(
          conn,
          `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(pending)})`,
        )
      },
    )
    return await deps.catalog.publishVersion(
      KPI_HISTORY_DATASET,
      {
        rowCount: rows.length,
        byteSize: (await stat(pending)).size,
        contentSha256: await sha256File(pending),
        schema: schema.map((c) => ({ name: c.column_name, type: c.column_type })),
        runId: id,
      },
      async (version) => {
        const path = join('kpi', KPI_HISTORY_DATASET.slug, `v${version}.parquet`)
        await mkdir(dirname(join(deps.dataDir, path)), { recursive: true })
        await rename(pending, join(deps.dataDir, path))
        return path
      },
    )
  } finally {
    await rm(pending, { force: true })
    await rm(json, { force: true })
  }
}
