import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { bindHmacKey, pseudonymSql } from '../../keys/index.js'
import { median } from '../report/percentile.js'
import { peakMbDuring } from '../report/process-memory.js'
import type { QueryServer } from './query-server.js'

/** One extract format through the API against DuckDB's COPY of the same view (medians). */
export interface FormatTiming {
  format: string
  /** Milliseconds. */
  api: number
  copy: number
  bytes: number
  /** Peak RSS in MB during the API's runs, its workers included. */
  rss: number
}

export interface ExtractTimings {
  /** The grant's first Parquet extract (which makes its projection), and the COPY beside it. */
  firstExtract: number
  firstCopy: number
  results: FormatTiming[]
  /** Median milliseconds of an Arrow IPC extract, its size and peak RSS. */
  arrow: number
  arrowBytes: number
  arrowRss: number
}

/** Reads a response to the end, counting bytes, as a client saving the file would. */
async function drain(res: Response) {
  let bytes = 0
  const reader = res.body?.getReader()
  for (;;) {
    const next = await reader?.read()
    if (!next || next.done) break
    bytes += next.value.byteLength
  }
  return bytes
}

async function time(work: () => Promise<unknown>) {
  const t = performance.now()
  await work()
  return performance.now() - t
}

/**
 * Times full extracts of the bench dataset through the API, as Parquet and CSV against DuckDB's
 * own COPY of exactly what an extract holds, and as Arrow IPC, `rounds` times each.
 */
export async function timeExtracts(
  server: QueryServer,
  options: { dir: string; rows: number; rounds: number; say: (text: string) => void },
): Promise<ExtractTimings> {
  const { base, keys, workerPids } = server
  const { dir, rows, rounds, say } = options
  // The baseline: DuckDB's own COPY of exactly what an extract holds, made from the published
  // version as the product's first extract makes it (the project's pseudonyms included).
  const viewSelect = `SELECT id, ${pseudonymSql('projection_key', 'person_key')} AS person_key, planning_area, age, income, seen_at FROM read_parquet('${join(dir, 'tc/bench/v1.parquet')}')`
  const copyConn = await (
    await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' })
  ).connect()
  await bindHmacKey(copyConn, 'projection_key', keys.keyOf('project:bench'))
  // The first extract of a grant makes its projection (then every format reads it): timed apart.
  say('First extract of the grant (makes its projection) …')
  const firstExtract = await time(async () =>
    drain(await fetch(`${base}/api/datasets/bench/versions/1/extract?format=parquet`)),
  )
  const firstCopy = await time(() =>
    copyConn.run(
      `COPY (${viewSelect}) TO '${join(dir, 'copy-first.parquet')}' (FORMAT parquet, COMPRESSION zstd)`,
    ),
  )
  say(`  API ${(firstExtract / 1000).toFixed(2)} s, COPY ${(firstCopy / 1000).toFixed(2)} s`)
  const results: FormatTiming[] = []
  // The machine is shared and noisy: COPY and the API take turns, and the medians are compared.
  for (const format of ['parquet', 'csv'] as const) {
    say(`Extract as ${format}, ${rounds} rounds …`)
    const copies: number[] = []
    const apis: number[] = []
    let bytes = 0
    let rss = 0
    for (let round = 0; round < rounds; round++) {
      copies.push(
        await time(() =>
          copyConn.run(
            `COPY (${viewSelect}) TO '${join(dir, `copy.${format}`)}' (FORMAT ${format}${format === 'parquet' ? ', COMPRESSION zstd' : ''})`,
          ),
        ),
      )
      const api = await peakMbDuring(
        () =>
          time(async () => {
            const res = await fetch(
              `${base}/api/datasets/bench/versions/1/extract?format=${format}`,
            )
            bytes = await drain(res)
          }),
        20,
        workerPids,
      )
      apis.push(api.value)
      rss = Math.max(rss, api.peakMb)
      say(
        `  API ${((apis.at(-1) ?? 0) / 1000).toFixed(2)} s, COPY ${((copies.at(-1) ?? 0) / 1000).toFixed(2)} s (${(bytes / 1e6).toFixed(0)} MB)`,
      )
    }
    results.push({ format, api: median(apis), copy: median(copies), bytes, rss })
  }
  say(`Extract as Arrow IPC, ${rounds} rounds …`)
  let arrowBytes = 0
  let arrowRss = 0
  const arrows: number[] = []
  for (let round = 0; round < rounds; round++) {
    const run = await peakMbDuring(
      () =>
        time(async () => {
          const res = await fetch(`${base}/api/datasets/bench/versions/1/extract?format=arrow`)
          arrowBytes = await drain(res)
        }),
      20,
      workerPids,
    )
    arrows.push(run.value)
    arrowRss = Math.max(arrowRss, run.peakMb)
    say(`  ${(run.value / 1000).toFixed(2)} s, ${(rows / (run.value / 1000)).toFixed(0)} rows/s`)
  }
  return { firstExtract, firstCopy, results, arrow: median(arrows), arrowBytes, arrowRss }
}
