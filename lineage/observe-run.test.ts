import { describe, expect, it } from 'vitest'
import { observeRun } from './observe-run.js'
import type { EmittedRunEvent } from './run-event.js'

const run = {
  runId: 'kpi_1',
  job: { name: 'kpi.compute', type: 'KPI' },
  startedAt: new Date('2026-03-02T01:00:00Z'),
  inputs: [{ namespace: 'gov-data-portal', name: 'digital-services-register' }],
}
const later = () => new Date('2026-03-02T01:00:05Z')

function recorder() {
  const events: EmittedRunEvent[] = []
  return { events, record: async (event: EmittedRunEvent) => events.push(event) }
}

describe('a run observed by lineage', () => {
  it('starts before the work and completes with the outputs the work reports', async () => {
    const observer = recorder()
    const result = await observeRun(observer, run, later, async () => {
      expect(observer.events.map((e) => e.eventType)).toEqual(['START'])
      return { result: 42, outputs: [{ namespace: 'gov-data-portal', name: 'history' }] }
    })
    expect(result).toBe(42)
    const [start, complete] = observer.events
    expect(start).toMatchObject({ eventType: 'START', eventTime: '2026-03-02T01:00:00.000Z' })
    expect(start?.outputs).toEqual([])
    expect(complete).toMatchObject({
      eventType: 'COMPLETE',
      eventTime: '2026-03-02T01:00:05.000Z',
      inputs: run.inputs,
      outputs: [{ namespace: 'gov-data-portal', name: 'history' }],
    })
    expect(complete?.run.runId).toBe(start?.run.runId)
  })

  it('ends a run whose work throws with FAIL, and throws the error on', async () => {
    const observer = recorder()
    const failing = observeRun(observer, run, later, async () => {
      throw new Error('disk full')
    })
    await expect(failing).rejects.toThrow('disk full')
    expect(observer.events.map((e) => e.eventType)).toEqual(['START', 'FAIL'])
    expect(observer.events[1]?.outputs).toEqual([])
  })

  it('runs the work alone when nothing observes it', async () => {
    await expect(
      observeRun(undefined, run, later, async () => ({ result: 'done', outputs: [] })),
    ).resolves.toBe('done')
  })
})
