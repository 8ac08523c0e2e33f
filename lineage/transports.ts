import { appendFile } from 'node:fs/promises'
import type { LineageEvent } from './events.js'
import type { LineageStore } from './lineage-store.js'

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
