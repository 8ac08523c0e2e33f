/** What concurrent clients saw: each query's latency in milliseconds, and how many failed. */
export interface ConcurrentLoad {
  latencies: number[]
  errors: number
}

/**
 * `clients` people, each running sample queries one after another for `seconds`: an aggregate
 * over the bench dataset's sample, a different filter per client.
 */
export async function runConcurrentQueries(
  base: string,
  clients: number,
  seconds: number,
): Promise<ConcurrentLoad> {
  const latencies: number[] = []
  let errors = 0
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async (_, n) => {
      while (performance.now() < until) {
        const t = performance.now()
        const res = await fetch(`${base}/api/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bench-user': String(n + 1) },
          body: JSON.stringify({
            sql: `SELECT planning_area, count(*) AS n, avg(income) AS income FROM bench_sample WHERE age > ${n % 50} GROUP BY 1 ORDER BY 1`,
          }),
        })
        await res.arrayBuffer()
        if (res.status !== 200) errors++
        latencies.push(performance.now() - t)
      }
    }),
  )
  return { latencies, errors }
}
