import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'

/** What concurrent clients saw: each query's latency in milliseconds, and how many failed. */
export interface ConcurrentLoad {
  latencies: number[]
  errors: number
}

/** Client `n`'s query: an aggregate over a sample view, a different filter per client. */
export const sampleQuery = (n: number, from = 'bench_sample') =>
  `SELECT planning_area, count(*) AS n, avg(income) AS income FROM ${from} WHERE age > ${n % 50} GROUP BY 1 ORDER BY 1`

/**
 * `clients` people, each running sample queries one after another for `seconds`: an aggregate
 * over the bench dataset's sample, a different filter per client.
 */
export async function runConcurrentQueries(
  base: string,
  clients: number,
  seconds: number,
): Promise<ConcurrentLoad> {
  return closedLoop(clients, seconds, async (n) => {
    const res = await fetch(`${base}/api/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bench-user': String(n + 1) },
      body: JSON.stringify({ sql: sampleQuery(n) }),
    })
    await res.arrayBuffer()
    return res.status === 200
  })
}

/**
 * The same clients and queries against bare DuckDB in this process, over the same sample file,
 * `slots` queries at a time (the service's workers) on one instance of `threads` threads, each
 * answer made JSON: what the engine alone does with the same work, the floor of the service.
 */
export async function runBareQueries(
  dir: string,
  options: { clients: number; seconds: number; slots: number; threads: number },
): Promise<ConcurrentLoad> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(options.threads) })
  const file = `read_parquet('${join(dir, 'samples/bench/v1.parquet')}')`
  const connections = await Promise.all(
    Array.from({ length: options.slots }, () => instance.connect()),
  )
  const free = [...connections]
  const waiting: (() => void)[] = []
  try {
    return await closedLoop(options.clients, options.seconds, async (n) => {
      while (free.length === 0) await new Promise<void>((resolve) => waiting.push(resolve))
      const connection = free.pop() as (typeof connections)[number]
      try {
        const reader = await connection.runAndReadAll(sampleQuery(n, file))
        JSON.stringify(reader.getRowsJson())
        return true
      } finally {
        free.push(connection)
        waiting.shift()?.()
      }
    })
  } finally {
    for (const connection of connections) connection.closeSync()
    instance.closeSync()
  }
}

/** `clients` closed loops of `ask` for `seconds`; each latency in ms and the failures counted. */
async function closedLoop(
  clients: number,
  seconds: number,
  ask: (client: number) => Promise<boolean>,
): Promise<ConcurrentLoad> {
  const latencies: number[] = []
  let errors = 0
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, n) => {
      while (performance.now() < until) {
        const t = performance.now()
        if (!(await ask(n))) errors++
        latencies.push(performance.now() - t)
      }
    }),
  )
  return { latencies, errors }
}
