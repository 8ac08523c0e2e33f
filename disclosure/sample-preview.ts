import { randomUUID } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import type { DuckDBConnection } from '../core/index.js'
import { quoteLiteral } from '../core/index.js'

/** Rows of a sample a dataset page shows before anyone downloads it. */
export const SAMPLE_PREVIEW_ROWS = 10

/** The first rows of a sample, as a dataset page shows them: every value JSON-safe. */
export interface SamplePreview {
  /** Each column with its engine type (e.g. `VARCHAR`, `BIGINT`), in the sample's order. */
  columns: { name: string; type: string }[]
  /** Values as the query service's JSON answers carry them (BIGINT and DECIMAL as strings). */
  rows: unknown[][]
  rowCount: number
}

/**
 * Where a sample's preview is kept: beside the sample, `v3.parquet` → `v3.preview.json` (a
 * sample still being written, `….parquet.partial`, has its own beside it).
 */
export function samplePreviewPath(samplePath: string): string {
  return samplePath.endsWith('.parquet')
    ? `${samplePath.slice(0, -'.parquet'.length)}.preview.json`
    : `${samplePath}.preview.json`
}

/**
 * Writes the first rows of the sample at `samplePath` (already de-identified: they are the
 * sample's own, in its order) as a small JSON file beside it, so a dataset page shows them
 * without running a query. Written whole or not at all.
 */
export async function writeSamplePreview(
  conn: DuckDBConnection,
  samplePath: string,
  previewPath: string = samplePreviewPath(samplePath),
): Promise<SamplePreview> {
  const reader = await conn.runAndReadAll(
    `SELECT * FROM read_parquet(${quoteLiteral(samplePath)}) LIMIT ${SAMPLE_PREVIEW_ROWS}`,
  )
  const types = reader.columnTypes()
  const preview: SamplePreview = {
    columns: reader.columnNames().map((name, i) => ({ name, type: String(types[i]) })),
    rows: reader.getRowsJson() as unknown[][],
    rowCount: reader.currentRowCount,
  }
  const partial = `${previewPath}.${randomUUID()}.partial`
  try {
    await writeFile(partial, JSON.stringify(preview))
    await rename(partial, previewPath)
  } catch (error) {
    await rm(partial, { force: true })
    throw error
  }
  return preview
}
