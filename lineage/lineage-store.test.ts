import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { openTestDatabase, TEST_BACKENDS, type TestDatabase } from '../fixtures/index.js'
import { lineageFacets } from './facets.js'
import { createLineageStore } from './lineage-store.js'
import type { LineageTables } from './lineage-tables.js'
import { lineageMigrations } from './migrations.js'
import { lineageRunId, runEvent } from './run-event.js'

describe.each(TEST_BACKENDS)('lineage store on %s', (backend) => {
  let test: TestDatabase<LineageTables>
  beforeAll(async () => {
    test = await openTestDatabase(backend, {
      postgresUrl: inject('postgresUrl'),
      migrations: [lineageMigrations],
    })
  })
  afterAll(() => test.close())

  it('keeps each event once and returns a run in time order', async () => {
    const store = createLineageStore(test.db)
    const start = runEvent({
      eventType: 'START',
      eventTime: new Date('2026-11-22T01:00:00Z'),
      runId: 'run_a',
      job: { name: 'fuse.x', type: 'FUSION' },
    })
    const complete = runEvent({
      eventType: 'COMPLETE',
      eventTime: new Date('2026-11-22T01:00:05Z'),
      runId: 'run_a',
      job: { name: 'fuse.x', type: 'FUSION' },
      outputs: [
        {
          namespace: 'gov-data-portal',
          name: 'x',
          outputFacets: {
            outputStatistics: lineageFacets.outputStatistics({ rowCount: 3, size: 10 }),
          },
        },
      ],
    })
    await store.record(complete)
    await store.record(start)
    await store.record(complete)
    expect(await store.eventsOfRun(lineageRunId('run_a'))).toEqual([start, complete])
    expect((await store.eventsOfJob('fuse.x')).map((e) => e.eventType)).toEqual([
      'COMPLETE',
      'START',
    ])
    expect(lineageRunId('run_a')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
  })
})
