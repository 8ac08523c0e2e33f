import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createLogger } from '../core/index.js'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing/index.js'
import { createLineageEmitter } from './emitter.js'
import { visibilityOf } from './graph/entity-id.js'
import { createLineageGraph } from './lineage-graph.js'
import { createLineageStore } from './lineage-store.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { tableBacklog } from './outbox.js'
import { runEvent } from './run-event.js'
import { httpTransport, type LineageTransport } from './transports.js'

const log = createLogger({ level: 'silent' })

const event = (run: string, n: number) =>
  runEvent({
    eventType: n === 0 ? 'START' : 'COMPLETE',
    eventTime: new Date(Date.UTC(2026, 10, 22, 2, 0, n)),
    runId: run,
    job: { name: 'fuse.outbox', type: 'FUSION' },
  })

/** A consumer on loopback recording the run ids and event types it is sent, in order. */
async function consumer(port = 0) {
  const received: string[] = []
  const server: Server = createServer((req, res) => {
    let text = ''
    req.on('data', (piece) => {
      text += piece
    })
    req.on('end', () => {
      const events = JSON.parse(text) as { eventType: string; run: { runId: string } }[]
      for (const e of events) received.push(`${e.run.runId}/${e.eventType}`)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    received,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

describe.each(TEST_BACKENDS)('lineage outbox on %s', (backend) => {
  let test: TestDatabase<LineageTables>
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [lineageMigrations],
    })
  })
  afterAll(() => test.close())

  it('keeps undelivered events across a restart and shows each run where its events stand', async () => {
    const store = createLineageStore(test.db)
    const graph = createLineageGraph(test.db)
    // The consumer is not there yet: its port is taken and released, so nothing answers on it.
    const probe = await consumer()
    const port = probe.port
    await probe.close()
    const options = {
      transports: [
        {
          name: 'store',
          batchSize: 100,
          inline: true,
          send: async (events) => {
            for (const e of events) await store.record(e)
          },
        } satisfies LineageTransport,
        httpTransport({ url: `http://127.0.0.1:${port}` }),
      ],
      log,
      backlog: tableBacklog(test.db),
      retryMs: 50,
      maxRetryMs: 100,
    }
    // The first process's clock stands still but for one step, so its attempts are known: one
    // when the events come, one for all four after the step, then none is due. It stops with no
    // attempt under way: a stop during one would leave that attempt's 40 s lease on the events,
    // and the next process would rightly wait it out.
    const start = Date.UTC(2026, 10, 22, 3, 0, 0)
    let clock = start
    const first = createLineageEmitter({ ...options, now: () => new Date(clock) })
    for (const run of ['run_outbox_a', 'run_outbox_b'])
      for (const n of [0, 1]) await first.emit(event(run, n))
    const outbox = () =>
      test.db
        .selectFrom('lineage_outbox')
        .select(['claim_token', 'next_attempt_at', 'last_error'])
        .orderBy('id')
        .execute()
    const refused = expect.stringMatching(/fetch failed|ECONNREFUSED/)
    await expect
      .poll(async () => (await outbox())[0]?.last_error, { timeout: 10_000 })
      .toEqual(refused)
    clock += 1_000
    // All four failed again, each due after the backoff of a second failure (100 ms).
    await expect.poll(outbox, { timeout: 10_000 }).toEqual(
      Array(4).fill({
        claim_token: null,
        next_attempt_at: new Date(clock + 100),
        last_error: refused,
      }),
    )
    const down = await first.status()
    expect(down.map((s) => [s.name, s.durable, s.pending])).toEqual([
      ['store', false, 0],
      [`http:127.0.0.1:${port}`, true, 4],
    ])
    expect(down[1]?.failures).toBe(2)
    const { runs } = await graph.runs(
      { namespace: 'gov-data-portal', name: 'fuse.outbox' },
      { limit: 10, offset: 0, visible: visibilityOf(() => true) },
    )
    expect(runs.map((r) => r.delivery)).toEqual([
      [
        expect.objectContaining({
          transport: `http:127.0.0.1:${port}`,
          delivered: 0,
          pending: 2,
          lastError: refused,
        }),
      ],
      [expect.objectContaining({ delivered: 0, pending: 2, lastError: refused })],
    ])
    // The process stops with events undelivered; the next one sends them, in order, once.
    await first.close()
    const live = await consumer(port)
    try {
      const restarted = { ...options, now: () => new Date(start + 60_000) }
      const second = createLineageEmitter(restarted)
      const third = createLineageEmitter(restarted)
      try {
        expect(await second.flush(10_000)).toBe(true)
        expect(live.received).toEqual(
          ['run_outbox_a', 'run_outbox_b'].flatMap((run) =>
            [0, 1].map((n) => `${event(run, n).run.runId}/${event(run, n).eventType}`),
          ),
        )
      } finally {
        await second.close()
        await third.close()
      }
      const after = await graph.runs(
        { namespace: 'gov-data-portal', name: 'fuse.outbox' },
        { limit: 10, offset: 0, visible: visibilityOf(() => true) },
      )
      expect(after.runs.flatMap((r) => r.delivery)).toEqual([
        expect.objectContaining({ delivered: 2, pending: 0, lastError: null, nextAttemptAt: null }),
        expect.objectContaining({ delivered: 2, pending: 0, lastError: null, nextAttemptAt: null }),
      ])
    } finally {
      await live.close()
    }
  })
})
