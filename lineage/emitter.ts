import { appendFile } from 'node:fs/promises'
import type { Logger } from '../core/index.js'
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
  /** Events waiting to be delivered (after a failure, until the transport answers again). */
  pending: number
  delivered: number
  failures: number
  lastError: string | null
  lastDeliveredAt: Date | null
  /** When the next attempt is due, while the transport is failing. */
  retryAt: Date | null
}

export interface LineageEmitter {
  /**
   * Hands an event to every transport and returns at once: a transport that fails never fails
   * the pipeline. Events wait in order and are retried with backoff; failures are logged.
   */
  emit(event: LineageEvent): Promise<void>
  /** Each transport's health and backlog. */
  status(): TransportStatus[]
  /** Resolves when everything pending has been delivered or `timeoutMs` passed; true if all went. */
  flush(timeoutMs?: number): Promise<boolean>
  close(): void
}

export interface EmitterOptions {
  transports: readonly LineageTransport[]
  log: Logger
  /** Checks our own events strictly (formats included): a violation is a bug, logged loudly. */
  validator?: EventValidator
  /** First retry after this long, doubling up to `maxRetryMs`. */
  retryMs?: number
  maxRetryMs?: number
  /** Events kept per transport while it is down; beyond it the oldest are dropped and logged. */
  maxPending?: number
}

/** Never let a transport hang the queue: each send has this long. */
const SEND_TIMEOUT_MS = 10_000

/**
 * The lineage emitter: one ordered queue per transport, drained in batches; a failing transport
 * keeps its events and is retried with exponential backoff while the others carry on.
 */
export function createLineageEmitter(options: EmitterOptions): LineageEmitter {
  const retryMs = options.retryMs ?? 1_000
  const maxRetryMs = options.maxRetryMs ?? 60_000
  const maxPending = options.maxPending ?? 100_000
  const queues = options.transports.map((transport) => ({
    transport,
    events: [] as LineageEvent[],
    status: {
      name: transport.name,
      pending: 0,
      delivered: 0,
      failures: 0,
      lastError: null,
      lastDeliveredAt: null,
      retryAt: null,
    } as TransportStatus,
    draining: undefined as Promise<void> | undefined,
    timer: undefined as NodeJS.Timeout | undefined,
    delay: retryMs,
  }))
  let closed = false

  async function drain(queue: (typeof queues)[number]): Promise<void> {
    while (queue.events.length > 0 && !closed) {
      const batch = queue.events.slice(0, queue.transport.batchSize)
      try {
        await Promise.race([
          queue.transport.send(batch),
          new Promise((_, reject) =>
            setTimeout(
              () => reject(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)),
              SEND_TIMEOUT_MS,
            ).unref(),
          ),
        ])
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        queue.status.failures++
        queue.status.lastError = message
        queue.status.retryAt = new Date(Date.now() + queue.delay)
        options.log.warn(
          {
            transport: queue.transport.name,
            pending: queue.events.length,
            retryInMs: queue.delay,
            error: message,
          },
          'lineage transport failed; events kept for retry',
        )
        queue.timer = setTimeout(() => {
          queue.timer = undefined
          start(queue)
        }, queue.delay)
        queue.timer.unref()
        queue.delay = Math.min(queue.delay * 2, maxRetryMs)
        return
      }
      queue.events.splice(0, batch.length)
      queue.status.pending = queue.events.length
      queue.status.delivered += batch.length
      queue.status.lastDeliveredAt = new Date()
      queue.status.retryAt = null
      queue.delay = retryMs
    }
  }

  function start(queue: (typeof queues)[number]) {
    if (queue.draining || queue.timer || closed) return
    queue.draining = drain(queue).finally(() => {
      queue.draining = undefined
      // Events that arrived while the last batch was in flight.
      if (queue.events.length > 0 && !queue.timer) start(queue)
    })
  }

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
      for (const queue of queues) {
        queue.events.push(event)
        if (queue.events.length > maxPending) {
          queue.events.shift()
          options.log.error(
            { transport: queue.transport.name, maxPending },
            'lineage backlog full: oldest event dropped',
          )
        }
        queue.status.pending = queue.events.length
        start(queue)
      }
      // A failure is caught and logged by the drain, never thrown to the pipeline.
      await Promise.all(queues.filter((q) => q.transport.inline).map((q) => q.draining))
    },
    status: () => queues.map((q) => ({ ...q.status, pending: q.events.length })),
    async flush(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs
      while (Date.now() < until) {
        if (queues.every((q) => q.events.length === 0)) return true
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return queues.every((q) => q.events.length === 0)
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
