import { appendFile } from 'node:fs/promises'
import type { Logger } from '../core/index.js'
import { type LineageBacklog, memoryBacklog } from './backlog.js'
import type { LineageEvent } from './events.js'
import type { LineageStore } from './lineage-store.js'
import type { EventValidator } from './validate-event.js'

/** Somewhere events go: our own store, another OpenLineage consumer, a file. */
export interface LineageTransport {
  readonly name: string
  /** At most this many events per `send`. */
  readonly batchSize: number
  /** Emitting waits for this transport's attempt (our own store: the graph is current at once). */
  readonly inline?: boolean
  /** Delivers the events, in order, or throws (they will be sent again). */
  send(events: readonly LineageEvent[]): Promise<void>
}

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
  close(): void
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

/** Never let a transport hang the queue: each send has this long. */
const SEND_TIMEOUT_MS = 10_000
/** A claimed batch is not handed to another sender for this long. */
const LEASE_MS = SEND_TIMEOUT_MS + 30_000

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * The lineage emitter: one ordered queue per transport, drained in batches from its backlog; a
 * failing transport keeps its events and is retried with exponential backoff while the others
 * carry on. On start, whatever a previous process left in a durable backlog is sent.
 */
export function createLineageEmitter(options: EmitterOptions): LineageEmitter {
  const retryMs = options.retryMs ?? 1_000
  const maxRetryMs = options.maxRetryMs ?? 60_000
  const now = options.now ?? (() => new Date())
  const names = options.transports.map((t) => t.name)
  if (new Set(names).size !== names.length)
    throw new Error(`lineage transports need distinct names: ${names.join(', ')}`)
  const memory = memoryBacklog({
    maxPending: options.maxPending,
    onDrop: (transport) =>
      options.log.error({ transport }, 'lineage backlog full: oldest event dropped'),
  })
  const external = options.backlog ?? memory
  const queues = options.transports.map((transport) => ({
    transport,
    backlog: transport.inline ? memory : external,
    stats: {
      delivered: 0,
      failures: 0,
      lastError: null as string | null,
      lastDeliveredAt: null as Date | null,
      retryAt: null as Date | null,
    },
    draining: undefined as Promise<void> | undefined,
    again: false,
    timer: undefined as NodeJS.Timeout | undefined,
  }))
  type Queue = (typeof queues)[number]
  let closed = false

  function retryLater(queue: Queue, ms: number) {
    if (closed) return
    if (queue.timer) clearTimeout(queue.timer)
    queue.timer = setTimeout(
      () => {
        queue.timer = undefined
        start(queue)
      },
      Math.max(ms, 0),
    )
    queue.timer.unref()
  }

  async function drain(queue: Queue): Promise<void> {
    const { transport, backlog, stats } = queue
    while (!closed) {
      let claimed: Awaited<ReturnType<LineageBacklog['claim']>>
      try {
        claimed = await backlog.claim(transport.name, transport.batchSize, now(), LEASE_MS)
      } catch (error) {
        options.log.error(
          { transport: transport.name, error: messageOf(error) },
          'lineage backlog unreadable; trying again',
        )
        return retryLater(queue, maxRetryMs)
      }
      const batch = claimed.batch
      if (!batch) {
        if (claimed.dueAt) retryLater(queue, claimed.dueAt.getTime() - now().getTime())
        return
      }
      try {
        await Promise.race([
          transport.send(batch.events),
          new Promise((_, reject) =>
            setTimeout(
              () => reject(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)),
              SEND_TIMEOUT_MS,
            ).unref(),
          ),
        ])
      } catch (error) {
        const message = messageOf(error)
        const delay = Math.min(retryMs * 2 ** batch.attempts, maxRetryMs)
        stats.failures++
        stats.lastError = message
        stats.retryAt = new Date(now().getTime() + delay)
        options.log.warn(
          {
            transport: transport.name,
            events: batch.events.length,
            retryInMs: delay,
            error: message,
          },
          'lineage transport failed; events kept for retry',
        )
        await backlog
          .failed(transport.name, batch, message, stats.retryAt)
          .catch((cause) =>
            options.log.error(
              { transport: transport.name, error: messageOf(cause) },
              'lineage backlog: failure not recorded (the claim expires and the events are sent again)',
            ),
          )
        return retryLater(queue, delay)
      }
      try {
        await backlog.delivered(transport.name, batch, now())
      } catch (error) {
        // The claim expires and the batch goes again: at least once, never lost.
        options.log.error(
          { transport: transport.name, error: messageOf(error) },
          'lineage backlog: delivery not recorded',
        )
        return retryLater(queue, LEASE_MS)
      }
      stats.delivered += batch.events.length
      stats.lastDeliveredAt = now()
      stats.retryAt = null
    }
  }

  function start(queue: Queue) {
    if (closed) return
    if (queue.draining) {
      queue.again = true
      return
    }
    if (queue.timer) return
    queue.draining = drain(queue).finally(() => {
      queue.draining = undefined
      if (queue.again) {
        queue.again = false
        start(queue)
      }
    })
  }

  const groups = [...new Set(queues.map((q) => q.backlog))].map((backlog) => ({
    backlog,
    transports: queues.filter((q) => q.backlog === backlog).map((q) => q.transport.name),
  }))
  // What a previous process left undelivered goes first.
  if (external.durable) for (const queue of queues) if (queue.backlog === external) start(queue)

  return {
    async emit(event) {
      if (options.validator) {
        const check = options.validator.check(event)
        if (check.errors.length + check.warnings.length > 0)
          options.log.error(
            { problems: [...check.errors, ...check.warnings] },
            'we produced an OpenLineage event the official schemas refuse',
          )
      }
      const at = now()
      for (const group of groups) {
        try {
          await group.backlog.add(event, group.transports, at)
        } catch (error) {
          options.log.error(
            { transports: group.transports, error: messageOf(error) },
            'lineage event could not be queued for these transports',
          )
        }
      }
      for (const queue of queues) start(queue)
      // A failure is caught and logged by the drain, never thrown to the pipeline.
      for (const queue of queues.filter((q) => q.transport.inline))
        while (queue.draining) await queue.draining
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
    close() {
      closed = true
      for (const queue of queues) if (queue.timer) clearTimeout(queue.timer)
    },
  }
}

/** Into our own store, in process (the default). */
export function storeTransport(store: LineageStore): LineageTransport {
  return {
    name: 'store',
    batchSize: 100,
    inline: true,
    async send(events) {
      for (const event of events) await store.record(event)
    },
  }
}

/** Appended to a file as JSON lines (one event per line), e.g. for another system to pick up. */
export function fileTransport(path: string): LineageTransport {
  return {
    name: `file:${path}`,
    batchSize: 500,
    async send(events) {
      await appendFile(path, events.map((e) => `${JSON.stringify(e)}\n`).join(''))
    },
  }
}

/**
 * To any OpenLineage HTTP endpoint (Marquez, another catalogue, ours): batches to
 * `/api/v1/lineage/batch`, falling back to one POST per event where the consumer has no batch
 * endpoint (404/405/501, as Marquez); the API key as a bearer token, never logged.
 */
export function httpTransport(options: {
  url: string
  apiKey?: string
  batchSize?: number
  fetch?: typeof fetch
}): LineageTransport {
  const base = options.url.replace(/\/+$/, '')
  const call = options.fetch ?? fetch
  let batchSupported = true
  const headers = {
    'content-type': 'application/json',
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
  }
  const post = (path: string, body: unknown) =>
    call(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
  const failure = async (res: Response) =>
    new Error(`${res.status} from ${new URL(base).host}: ${(await res.text()).slice(0, 200)}`)
  return {
    name: `http:${new URL(base).host}`,
    batchSize: options.batchSize ?? 100,
    async send(events) {
      if (batchSupported && events.length > 1) {
        const res = await post('/api/v1/lineage/batch', events)
        // Events the consumer refuses as invalid will not become valid by retrying.
        if (res.ok) return
        if (![404, 405, 501].includes(res.status)) throw await failure(res)
        batchSupported = false
      }
      for (const event of events) {
        const res = await post('/api/v1/lineage', event)
        // A 4xx other than throttling is the consumer refusing this event: retrying cannot help.
        if (!res.ok && (res.status >= 500 || res.status === 429 || res.status === 408))
          throw await failure(res)
      }
    },
  }
}
