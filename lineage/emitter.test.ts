import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../core/index.js'
import { createLineageEmitter } from './emitter.js'
import { runEvent } from './run-event.js'
import { fileTransport, httpTransport, type LineageTransport } from './transports.js'

const event = (n: number) =>
  runEvent({
    eventType: 'COMPLETE',
    eventTime: new Date(Date.UTC(2026, 10, 22, 1, 0, n)),
    runId: `run_${n}`,
    job: { name: 'fuse.example', type: 'FUSION' },
  })

const body = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = ''
    req.on('data', (piece) => {
      text += piece
    })
    req.on('end', () => resolve(text))
  })

/** A real OpenLineage consumer on loopback that records what it receives. */
function consumer(options: { batch: boolean }) {
  const received: { runId: string; authorization?: string; path?: string }[] = []
  const server = createServer(async (req, res) => {
    const text = await body(req)
    if (req.url === '/api/v1/lineage/batch' && !options.batch) {
      res.writeHead(404).end()
      return
    }
    const events = (req.url?.endsWith('/batch') ? JSON.parse(text) : [JSON.parse(text)]) as {
      run: { runId: string }
    }[]
    for (const e of events)
      received.push({ runId: e.run.runId, authorization: req.headers.authorization, path: req.url })
    res.writeHead(req.url?.endsWith('/batch') ? 200 : 201, { 'content-type': 'application/json' })
    res.end('{}')
  })
  return { server, received }
}

const listen = (server: Server, port = 0) =>
  new Promise<number>((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

describe('lineage emitter', () => {
  const log = createLogger({ level: 'silent' })
  const cleanups: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup()
  })

  it('delivers over HTTP in batches, with the API key, and survives the endpoint being down', async () => {
    const first = consumer({ batch: true })
    const port = await listen(first.server)
    const emitter = createLineageEmitter({
      transports: [
        httpTransport({ url: `http://127.0.0.1:${port}/`, apiKey: 'secret-key', batchSize: 10 }),
      ],
      log,
      retryMs: 50,
      maxRetryMs: 200,
    })
    cleanups.push(() => emitter.close())
    for (let n = 0; n < 5; n++) await emitter.emit(event(n))
    expect(await emitter.flush(5_000)).toBe(true)
    expect(first.received.map((r) => r.authorization)).toEqual(Array(5).fill('Bearer secret-key'))

    // The consumer goes away; events wait and are retried with backoff, none lost.
    await close(first.server)
    for (let n = 5; n < 40; n++) await emitter.emit(event(n))
    await new Promise((resolve) => setTimeout(resolve, 300))
    const down = (await emitter.status())[0]
    expect(down?.pending).toBe(35)
    expect(down?.failures).toBeGreaterThan(1)
    expect(down?.lastError).toMatch(/fetch failed|ECONNREFUSED/)

    const second = consumer({ batch: true })
    cleanups.push(() => close(second.server))
    await listen(second.server, port)
    expect(await emitter.flush(5_000)).toBe(true)
    expect(second.received.map((r) => r.runId)).toEqual(
      Array.from({ length: 35 }, (_, i) => event(i + 5).run.runId),
    )
    expect((await emitter.status())[0]).toMatchObject({ pending: 0, delivered: 40, retryAt: null })
  })

  it('falls back to one POST per event where the consumer has no batch endpoint', async () => {
    const marquezLike = consumer({ batch: false })
    cleanups.push(() => close(marquezLike.server))
    const port = await listen(marquezLike.server)
    const emitter = createLineageEmitter({
      transports: [httpTransport({ url: `http://127.0.0.1:${port}` })],
      log,
    })
    cleanups.push(() => emitter.close())
    for (let n = 0; n < 3; n++) void emitter.emit(event(n))
    expect(await emitter.flush(5_000)).toBe(true)
    expect(marquezLike.received.map((r) => r.path)).toEqual(Array(3).fill('/api/v1/lineage'))
    expect(marquezLike.received.map((r) => r.authorization)).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })

  it('writes JSON lines to a file, and one failing transport holds back no other', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lineage-file-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const broken: LineageTransport = {
      name: 'broken',
      batchSize: 10,
      send: async () => {
        throw new Error('always down')
      },
    }
    const emitter = createLineageEmitter({
      transports: [broken, fileTransport(join(dir, 'events.jsonl'))],
      log,
      retryMs: 20,
    })
    cleanups.push(() => emitter.close())
    for (let n = 0; n < 4; n++) await emitter.emit(event(n))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const lines = (await readFile(join(dir, 'events.jsonl'), 'utf8')).trim().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as { run: { runId: string } }).run.runId)).toEqual(
      [0, 1, 2, 3].map((n) => event(n).run.runId),
    )
    expect((await emitter.status()).map((s) => [s.name, s.pending])).toEqual([
      ['broken', 4],
      [`file:${join(dir, 'events.jsonl')}`, 0],
    ])
  })
})
