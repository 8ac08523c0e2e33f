import type { Logger } from '../core/index.js'
import { type LineageBacklog, memoryBacklog } from './backlog.js'
import type { LineageEvent } from './events.js'
import { createTransportQueue, messageOf } from './transport-queue.js'
import type { LineageTransport } from './transports.js'
import type { EventValidator } from './validate-event.js'

export interface TransportStatus {
  name: string
  /** Its backlog survives a restart (the outbox table). */
  durable: boolean
  /** Events waiting to be delivered (after a failure, until the transport answers again). */
  pending: number
  oldestPendingAt: Date | null
  /** Counted by this process since it started. */
  delivered: number
  failures: number
  lastError: string | null
  lastDeliveredAt: Date | null
  /** When the next attempt is due, while the transport is failing. */
  retryAt: Date | null
}

export interface LineageEmitter {
  /**
   * Hands an event to every transport and returns once our own store has it: a transport that
   * fails never fails the pipeline. Events wait in order and are retried with backoff; failures
   * are logged.
   */
  emit(event: LineageEvent): Promise<void>
  /** Each transport's health and backlog. */
  status(): Promise<TransportStatus[]>
  /** Resolves when everything pending has been delivered or `timeoutMs` passed; true if all went. */
  flush(timeoutMs?: number): Promise<boolean>
  /** Stops sending, after the attempts under way have ended (see TransportQueue.close). */
  close(): Promise<void>
}

export interface EmitterOptions {
  transports: readonly LineageTransport[]
  log: Logger
  /** Checks our own events strictly (formats included): a violation is a bug, logged loudly. */
  validator?: EventValidator
  /**
   * Where events for the transports that are not inline wait: the outbox table on a server (so a
   * restart loses none), memory by default. Inline transports always wait in memory.
   */
  backlog?: LineageBacklog
  /** First retry after this long, doubling up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
  /** Events kept in memory per transport while it is down; beyond it the oldest are dropped. */
  maxPending?: number
  now?: () => Date
}

/**
 * The lineage emitter: one ordered queue per transport, drained in batches from its backlog; a
 * failing transport keeps its events and is retried with exponential backoff while the others
 * carry on. On start, whatever a previous process left in a durable backlog is sent.
 */
export function createLineageEmitter(options: EmitterOptions): LineageEmitter {
  const { log } = options
  const names = options.transports.map((t) => t.name)
  if (new Set(names).size !== names.length)
    throw new Error(`lineage transports need distinct names: ${names.join(', ')}`)
  const memory = memoryBacklog({
    maxPending: options.maxPending,
    onDrop: (transport) => log.error({ transport }, 'lineage backlog full: oldest event dropped'),
  })
  const external = options.backlog ?? memory
  const queueOptions = {
    log,
    retryMs: options.retryMs ?? 1_000,
    maxRetryMs: options.maxRetryMs ?? 60_000,
    now: options.now ?? (() => new Date()),
  }
  const queues = options.transports.map((transport) =>
    createTransportQueue(transport, transport.inline ? memory : external, queueOptions),
  )
  // Each event is added once per backlog, for all the transports that share it.
  const groups = [...new Set(queues.map((q) => q.backlog))].map((backlog) => ({
    backlog,
    transports: queues.filter((q) => q.backlog === backlog).map((q) => q.transport.name),
  }))
  // What a previous process left undelivered goes first.
  if (external.durable) for (const queue of queues) if (queue.backlog === external) queue.start()

  return {
    async emit(event) {
      if (options.validator) {
        const check = options.validator.check(event)
        if (check.errors.length + check.warnings.length > 0)
          log.error(
            { problems: [...check.errors, ...check.warnings] },
            'we produced an OpenLineage event the official schemas refuse',
          )
      }
      const at = queueOptions.now()
      for (const group of groups) {
        try {
          await group.backlog.add(event, group.transports, at)
        } catch (error) {
          log.error(
            { transports: group.transports, error: messageOf(error) },
            'lineage event could not be queued for these transports',
          )
        }
      }
      for (const queue of queues) queue.start()
      // A failure is caught and logged by the drain, never thrown to the pipeline.
      for (const queue of queues.filter((q) => q.transport.inline)) await queue.idle()
    },
    status: () =>
      Promise.all(
        queues.map(async ({ transport, backlog, stats }) => ({
          name: transport.name,
          durable: backlog.durable,
          ...(await backlog.counts(transport.name)),
          ...stats,
        })),
      ),
    async flush(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs
      const done = async () => {
        const counts = await Promise.all(queues.map((q) => q.backlog.counts(q.transport.name)))
        return counts.every((c) => c.pending === 0)
      }
      while (Date.now() < until) {
        if (await done()) return true
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return done()
    },
    async close() {
      await Promise.all(queues.map((queue) => queue.close()))
    },
  }
}
