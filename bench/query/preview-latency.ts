import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { serveApp } from '../../server/index.js'
import { openTestRuntime, signInAs } from '../../testing/index.js'
import { median, percentile } from '../report/percentile.js'

/** A dataset page's sample preview, timed through the whole platform and in bare DuckDB. */
export interface PreviewLatency {
  requests: number
  p50: number
  p99: number
  /** The same SELECT in DuckDB in this process, over the same sample file: the floor. */
  bareP50: number
}

/**
 * Starts the platform as `npm start` would (embedded database, fixture data, real HTTP on
 * loopback), signs in an officer, and sends the portal's sample preview
 * (`SELECT * FROM <sample> LIMIT 10`) `requests` times one after another, after a warm-up:
 * authentication, entitlements, the pool, the worker's gate and run, history and audit included.
 */
export async function measurePreviewLatency(requests: number): Promise<PreviewLatency> {
  // One person's previews one after another: the per-person rate limit is not what is measured.
  const runtime = await openTestRuntime({
    backend: 'pglite',
    scale: 0.2,
    env: { RATE_LIMIT_PER_MINUTE: '0' },
  })
  const server = await serveApp(runtime, 0)
  try {
    const client = {
      request: (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init),
    }
    const headers = {
      ...(await signInAs(client, 'officer.moe')),
      'content-type': 'application/json',
    }
    const sql = 'SELECT * FROM person_address_pa_sample LIMIT 10'
    const preview = async () => {
      const started = performance.now()
      const res = await client.request('/api/query', {
        method: 'POST',
        headers,
        body: JSON.stringify({ sql, format: 'json' }),
      })
      if (res.status !== 200) throw new Error(`Preview answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
      return performance.now() - started
    }
    for (let i = 0; i < 20; i++) await preview()
    const times: number[] = []
    for (let i = 0; i < requests; i++) times.push(await preview())

    const { path: sample } = await runtime.db
      .selectFrom('dataset_samples')
      .innerJoin('datasets', 'datasets.id', 'dataset_samples.dataset_id')
      .select('dataset_samples.path')
      .where('datasets.slug', '=', 'person-address-pa')
      .where('dataset_samples.status', '=', 'published')
      .orderBy('dataset_samples.version', 'desc')
      .executeTakeFirstOrThrow()
    const bare = await (await DuckDBInstance.create(':memory:')).connect()
    const bareTimes: number[] = []
    for (let i = 0; i < requests; i++) {
      const started = performance.now()
      const reader = await bare.runAndReadAll(
        `SELECT * FROM read_parquet('${join(runtime.dataDir, sample ?? '')}') LIMIT 10`,
      )
      JSON.stringify(reader.getRowsJson())
      bareTimes.push(performance.now() - started)
    }
    bare.closeSync()
    return {
      requests,
      p50: median(times),
      p99: percentile(times, 0.99),
      bareP50: median(bareTimes),
    }
  } finally {
    await server.close()
    await runtime.dispose()
  }
}
