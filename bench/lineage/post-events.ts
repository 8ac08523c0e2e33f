const say = (text: string) => process.stderr.write(`${text}\n`)

/**
 * One POST. A connection the server closed as idle just as the client reused it fails before
 * the request reaches the server; the caller sends it once more, as OpenLineage clients do
 * (events are stored once however often they come).
 */
const postOnce = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })

/**
 * Posts request bodies to one route from `clients` concurrent clients, each sending its next body
 * when its last is answered; progress every 10 s. A request answered with another status than
 * `expected` counts its events as failed.
 */
export async function postEvents(
  url: string,
  requests: readonly { body: string; events: number }[],
  options: { clients: number; expected: number },
) {
  let next = 0
  let failed = 0
  let done = 0
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const progress = setInterval(() => {
    const seconds = (performance.now() - started) / 1000
    say(
      `  ${done.toLocaleString('en')} events, ${Math.round(done / seconds).toLocaleString('en')}/s`,
    )
  }, 10_000)
  try {
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const request = requests[i]
          if (!request) break
          const res = await postOnce(url, request.body).catch(() => postOnce(url, request.body))
          const answer = await res.text()
          if (res.status !== options.expected) {
            // The first few refusals are shown: a failure in a bench is a finding, not noise.
            if (failed < 3) say(`  ${res.status}: ${answer.slice(0, 300)}`)
            failed += request.events
          }
          done += request.events
        }
      }),
    )
  } finally {
    clearInterval(progress)
  }
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  // The bench process's CPU (server and clients both): on a busy machine, steadier than time.
  const cpuMs = (cpu.user + cpu.system) / 1000
  return { ms, failed, rate: done / (ms / 1000), cpuMsPerEvent: cpuMs / Math.max(done, 1) }
}
