import type { Logger } from '../core/index.js'
import type { BacklogBatch, LineageBacklog } from './backlog.js'
import type { LineageTransport } from './transports.js'

/** Never let a transport hang the queue: each send has this long. */
const SEND_TIMEOUT_MS = 10_000
/** A claimed batch is not handed to another sender for this long. */
const LEASE_MS = SEND_TIMEOUT_MS + 30_000

/** What an error says, for the log. */
export const messageOf = (error: unknown) =>
  error instanceof Error ? error.message : String(error)

/** What this process has seen of one transport since it started. */
export interface QueueStats {
  delivered: number
  failures: number
  lastError: string | null
  lastDeliveredAt: Date | null
  /** When the next attempt is due, while the transport is failing. */
  retryAt: Date | null
}

export interface QueueOptions {
  log: Logger
  /** First retry after this long, doubling up to `maxRetryMs`. */
  retryMs: number
  maxRetryMs: number
  now: () => Date
}

/** One transport's ordered queue, drained in batches from its backlog. */
export interface TransportQueue {
  readonly transport: LineageTransport
  readonly backlog: LineageBacklog
  readonly stats: Readonly<QueueStats>
  /** Drains now (or once more, when a drain is under way), unless a retry is already due. */
  start(): void
  /** Resolves when no drain is under way. */
  idle(): Promise<void>
  /**
   * Stops draining, cancels the retry, and waits for an attempt under way to end: its outcome
   * recorded, no lease is left for the next process to wait out.
   */
  close(): Promise<void>
}

/** Sends one batch, or throws (the transport's error, or no answer in time). */
async function sendInTime(transport: LineageTransport, batch: BacklogBatch) {
  await Promise.race([
    transport.send(batch.events),
    new Promise((_, reject) =>
      setTimeout(
        () => reject(new Error(`no answer within ${SEND_TIMEOUT_MS / 1000} s`)),
        SEND_TIMEOUT_MS,
      ).unref(),
    ),
  ])
}

/**
 * A transport's queue: batches claimed from the backlog and sent in order; a failing transport
 * keeps its events and is retried with exponential backoff. A failure is logged, never thrown.
 */
export function createTransportQueue(
  transport: LineageTransport,
  backlog: LineageBacklog,
  options: QueueOptions,
): TransportQueue {
  const { log, now } = options
  const stats: QueueStats = {
    delivered: 0,
    failures: 0,
    lastError: null,
    lastDeliveredAt: null,
    retryAt: null,
  }
  let draining: Promise<void> | undefined
  let again = false
  let timer: NodeJS.Timeout | undefined
  let closed = false

  function retryLater(ms: number) {
    if (closed) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(
      () => {
        timer = undefined
        start()
      },
      Math.max(ms, 0),
    )
    timer.unref()
  }

  /** A failed send: counted, logged, recorded in the backlog; the next try is after `delay`. */
  async function failed(batch: BacklogBatch, error: unknown) {
    const message = messageOf(error)
    const delay = Math.min(options.retryMs * 2 ** batch.attempts, options.maxRetryMs)
    stats.failures++
    stats.lastError = message
    stats.retryAt = new Date(now().getTime() + delay)
    log.warn(
      { transport: transport.name, events: batch.events.length, retryInMs: delay, error: message },
      'lineage transport failed; events kept for retry',
    )
    await backlog
      .failed(transport.name, batch, message, stats.retryAt)
      .catch((cause) =>
        log.error(
          { transport: transport.name, error: messageOf(cause) },
          'lineage backlog: failure not recorded (the claim expires and the events are sent again)',
        ),
      )
    return retryLater(delay)
  }

  async function drain(): Promise<void> {
    while (!closed) {
      let claimed: Awaited<ReturnType<LineageBacklog['claim']>>
      try {
        claimed = await backlog.claim(transport.name, transport.batchSize, now(), LEASE_MS)
      } catch (error) {
        log.error(
          { transport: transport.name, error: messageOf(error) },
          'lineage backlog unreadable; trying again',
        )
        return retryLater(options.maxRetryMs)
      }
      const batch = claimed.batch
      if (!batch) {
        if (claimed.dueAt) retryLater(claimed.dueAt.getTime() - now().getTime())
        return
      }
      try {
        await sendInTime(transport, batch)
      } catch (error) {
        return failed(batch, error)
      }
      try {
        await backlog.delivered(transport.name, batch, now())
      } catch (error) {
        // The claim expires and the batch goes again: at least once, never lost.
        log.error(
          { transport: transport.name, error: messageOf(error) },
          'lineage backlog: delivery not recorded',
        )
        return retryLater(LEASE_MS)
      }
      stats.delivered += batch.events.length
      stats.lastDeliveredAt = now()
      stats.retryAt = null
    }
  }

  function start() {
    if (closed) return
    if (draining !== undefined) {
      again = true
      return
    }
    if (timer) return
    draining = drain().finally(() => {
      draining = undefined
      if (again) {
        again = false
        start()
      }
    })
  }

  return {
    transport,
    backlog,
    stats,
    start,
    async idle() {
      while (draining !== undefined) await draining
    },
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      await draining
    },
  }
}
