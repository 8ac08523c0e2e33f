import { fork } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { childrenOf, sampleProcessTree } from '../load/load-process-stats.js'
import type { SendPlan } from './send-plan.js'

/** CPU seconds of this process's PostgreSQL (server and sessions); undefined on PGlite. */
function databaseCpuSeconds(): number | undefined {
  const [postmaster] = childrenOf(process.pid, 'postgres')
  return postmaster === undefined ? undefined : sampleProcessTree(postmaster)?.cpuSeconds
}

/**
 * Starts measuring the CPU of this process (the server) and of its PostgreSQL; the function
 * returned gives each in milliseconds per event since (the database's undefined on PGlite).
 */
export function cpuMeter() {
  const server = process.cpuUsage()
  const database = databaseCpuSeconds()
  return (events: number) => {
    const used = process.cpuUsage(server)
    const databaseNow = databaseCpuSeconds()
    const perEvent = (ms: number) => ms / Math.max(events, 1)
    return {
      server: perEvent((used.user + used.system) / 1000),
      database:
        database === undefined || databaseNow === undefined
          ? undefined
          : perEvent((databaseNow - database) * 1000),
    }
  }
}

/**
 * Posts a plan's events from a sender process of its own (see sender-process.ts) and measures,
 * per event, the CPU the server (this process), its database and the senders spent while they
 * were sent: figures a busy machine changes less than it changes time.
 */
export async function postFromSenders(plan: SendPlan) {
  const sender = fork(fileURLToPath(new URL('./sender-process.ts', import.meta.url)))
  try {
    sender.send(plan)
    await once(sender, 'message')
    const meter = cpuMeter()
    sender.send({ go: true })
    const [{ result }] = (await once(sender, 'message')) as [
      { result: { ms: number; failed: number; rate: number; cpuMsPerEvent: number } },
    ]
    const cpu = meter(plan.count)
    return {
      ms: result.ms,
      failed: result.failed,
      rate: result.rate,
      serverCpuMsPerEvent: cpu.server,
      databaseCpuMsPerEvent: cpu.database,
      sendersCpuMsPerEvent: result.cpuMsPerEvent,
    }
  } finally {
    if (sender.exitCode === null) sender.kill()
  }
}
