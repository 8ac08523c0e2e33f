import { Agent, request } from 'node:http'

const say = (text: string) => process.stderr.write(`${text}\n`)

/** A POST's answer: its status and body. */
function post(agent: Agent, url: URL, body: Buffer) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * Posts request bodies to one route from `clients` concurrent clients, each sending its next body
 * when its last is answered; progress every 10 s. A request answered with another status than
 * `expected` counts its events as failed. The CPU is this process's (the senders').
 *
 * The clients share the machine with the server, so what they cost is kept small: node's own HTTP
 * client on kept-alive connections, bodies encoded beforehand (`fetch` costs about 0.5 ms of CPU a
 * request here, more than the server's HTTP layer).
 */
export async function postEvents(
  url: string,
  requests: readonly { body: string; events: number }[],
  options: { clients: number; expected: number },
) {
  const target = new URL(url)
  const bodies = requests.map((r) => ({ body: Buffer.from(r.body), events: r.events }))
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients })
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
        for (let i = next++; i < bodies.length; i = next++) {
          const request = bodies[i]
          if (!request) break
          // A connection the server closed as idle just as the client reused it fails before the
          // request reaches the server; it is sent once more, as OpenLineage clients do (events
          // are stored once however often they come).
          const answer = await post(agent, target, request.body).catch(() =>
            post(agent, target, request.body),
          )
          if (answer.status !== options.expected) {
            // The first few refusals are shown: a failure in a bench is a finding, not noise.
            if (failed < 3) say(`  ${answer.status}: ${answer.text.slice(0, 300)}`)
            failed += request.events
          }
          done += request.events
        }
      }),
    )
  } finally {
    clearInterval(progress)
    agent.destroy()
  }
  const ms = performance.now() - started
  const cpu = process.cpuUsage(cpuBefore)
  const cpuMs = (cpu.user + cpu.system) / 1000
  return { ms, failed, rate: done / (ms / 1000), cpuMsPerEvent: cpuMs / Math.max(done, 1) }
}
